import { z } from 'zod';
import { text } from '../../../kernel/text/index.ts';
import { EU_ALLERGENS } from './allergens.ts';

/** Diets a meal can be marked as suiting; a client following one is only offered meals marked with it. */
export const DIETS = ['vegetarian', 'vegan', 'pescatarian', 'halal', 'kosher', 'keto', 'low-fodmap'] as const;
export type Diet = (typeof DIETS)[number];
export const DIET_LABELS: Record<Diet, string> = {
  vegetarian: 'Vegetarian',
  vegan: 'Vegan',
  pescatarian: 'Pescatarian',
  halal: 'Halal',
  kosher: 'Kosher',
  keto: 'Keto',
  'low-fodmap': 'Low FODMAP',
};

const optionalRange = (max: number) =>
  z
    .strictObject({ min: z.number().int().min(0).max(max).optional(), max: z.number().int().min(0).max(max).optional() })
    .refine((range) => range.min === undefined || range.max === undefined || range.min <= range.max, { error: 'The minimum cannot be above the maximum' });

/**
 * A client's dietary rules. Allergens and diets are hard (a meal breaking one is blocked);
 * dislikes and per-meal targets are soft (the meal is allowed with a warning).
 */
export const dietaryRules = z.strictObject({
  allergens: z.array(z.enum(EU_ALLERGENS)).max(EU_ALLERGENS.length).default([]),
  diets: z.array(z.enum(DIETS)).max(DIETS.length).default([]),
  /** Ingredients the client would rather not eat, matched by whole word, case-insensitively. */
  dislikes: z.array(text(60).pipe(z.string().trim().min(1))).max(50).default([]),
  targets: z
    .strictObject({
      kcal: optionalRange(5000).optional(),
      proteinG: optionalRange(1000).optional(),
      carbsG: optionalRange(1000).optional(),
      fatG: optionalRange(1000).optional(),
    })
    .default({}),
});
export type DietaryRules = z.output<typeof dietaryRules>;
export type NutrientKey = keyof DietaryRules['targets'];

/** What the evaluation needs to know of a meal (the menu's meals carry more). */
export interface MealFacts {
  name: string;
  allergens: readonly (typeof EU_ALLERGENS)[number][];
  diets: readonly Diet[];
  ingredients: readonly string[];
  nutrition: { kcal: number; proteinG: number; carbsG: number; fatG: number };
}

