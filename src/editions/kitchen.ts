import { defineEdition } from '../kernel/module/index.ts';
import { catalogModule } from '../modules/catalog/index.ts';
import { enquiriesModule } from '../modules/enquiries/index.ts';
import { supportModule } from '../modules/support/index.ts';
import { seedKitchenDemo } from './kitchen-demo.ts';
import { STORE_ROLE_TEMPLATES } from './roles.ts';

export const kitchenEdition = defineEdition({
  id: 'kitchen',
  title: 'Meal-prep kitchen',
  modules: [catalogModule, supportModule, enquiriesModule],
  roleTemplates: STORE_ROLE_TEMPLATES,
  demo: {
    slug: 'demo-kitchen',
    name: 'Balance Kitchen (demo)',
    timeZone: 'Europe/London',
    seed: seedKitchenDemo,
  },
});
