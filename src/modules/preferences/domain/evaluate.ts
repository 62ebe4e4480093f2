import { ALLERGEN_LABELS, type Allergen } from './allergens.ts';
import { DIET_LABELS, type Diet, type DietaryRules, type MealFacts, type NutrientKey } from './rules.ts';

export type Verdict = 'allowed' | 'warn' | 'blocked';

export type Reason =
  | { rule: 'allergen'; severity: 'blocked'; allergen: Allergen; message: string }
  | { rule: 'diet'; severity: 'blocked'; diet: Diet; message: string }
  | { rule: 'dislike'; severity: 'warn'; ingredient: string; message: string }
  | { rule: 'target'; severity: 'warn'; nutrient: NutrientKey; message: string };

export interface Evaluation {
  verdict: Verdict;
  /** Every rule the meal breaks, hard ones first; empty when allowed. */
  reasons: Reason[];
}

const NUTRIENTS: Record<NutrientKey, { label: string; unit: string }> = {
  kcal: { label: 'Calories', unit: 'kcal' },
  proteinG: { label: 'Protein', unit: 'g' },
  carbsG: { label: 'Carbohydrates', unit: 'g' },
  fatG: { label: 'Fat', unit: 'g' },
};

const words = (value: string) => value.toLowerCase().normalize('NFKC').split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** Whether the ingredient mentions the disliked thing as whole words ("red onion" matches "onion"; "onion" does not match "scallion"). */
function mentions(ingredient: string, dislike: string): boolean {
  const haystack = words(ingredient);
  const needle = words(dislike);
  if (needle.length === 0) return false;
  return haystack.some((_, start) => needle.every((word, offset) => haystack[start + offset] === word));
}

/**
 * Whether a client may have a meal, and why not: a declared allergen the client excludes, or a
 * diet the meal is not marked as suiting, blocks it; an ingredient they dislike, or nutrition
 * outside their per-meal targets, allows it with a warning. Pure: the same answer everywhere
 * (ordering refuses on `blocked`, auto-pick skips it, the client's menu shows the reasons).
 */
export function evaluateMeal(rules: DietaryRules, meal: MealFacts): Evaluation {
  const reasons: Reason[] = [];
  for (const allergen of rules.allergens) {
    if (meal.allergens.includes(allergen)) reasons.push({ rule: 'allergen', severity: 'blocked', allergen, message: `Contains ${ALLERGEN_LABELS[allergen].toLowerCase()}` });
  }
  for (const diet of rules.diets) {
    if (!meal.diets.includes(diet)) reasons.push({ rule: 'diet', severity: 'blocked', diet, message: `Not ${DIET_LABELS[diet].toLowerCase()}` });
  }
  for (const dislike of rules.dislikes) {
    const ingredient = meal.ingredients.find((candidate) => mentions(candidate, dislike));
    if (ingredient !== undefined) reasons.push({ rule: 'dislike', severity: 'warn', ingredient, message: `Has ${ingredient}, which you would rather avoid` });
  }
  for (const nutrient of Object.keys(NUTRIENTS) as NutrientKey[]) {
    const range = rules.targets[nutrient];
    if (!range) continue;
    const value = meal.nutrition[nutrient];
    const { label, unit } = NUTRIENTS[nutrient];
    if (range.min !== undefined && value < range.min) reasons.push({ rule: 'target', severity: 'warn', nutrient, message: `${label} ${value} ${unit}, below your ${range.min} ${unit}` });
    else if (range.max !== undefined && value > range.max) reasons.push({ rule: 'target', severity: 'warn', nutrient, message: `${label} ${value} ${unit}, above your ${range.max} ${unit}` });
  }
  const verdict: Verdict = reasons.some((reason) => reason.severity === 'blocked') ? 'blocked' : reasons.length > 0 ? 'warn' : 'allowed';
  return { verdict, reasons };
}
