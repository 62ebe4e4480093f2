import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { EU_ALLERGENS } from '../../../src/modules/preferences/domain/allergens.ts';
import { evaluateMeal } from '../../../src/modules/preferences/domain/evaluate.ts';
import { dietaryRules, type MealFacts } from '../../../src/modules/preferences/domain/rules.ts';

const satay: MealFacts = {
  name: 'Chicken satay with rice',
  allergens: ['peanuts', 'soya', 'sesame'],
  diets: ['halal'],
  ingredients: ['chicken thigh', 'peanut butter', 'soy sauce', 'jasmine rice', 'spring onion'],
  nutrition: { kcal: 640, proteinG: 42, carbsG: 58, fatG: 24 },
};
const rules = (input: unknown) => dietaryRules.parse(input);

describe('meal evaluation', () => {
  test('no rules: allowed with no reasons', () => {
    assert.deepEqual(evaluateMeal(rules({}), satay), { verdict: 'allowed', reasons: [] });
  });

  test('an excluded allergen the meal declares blocks it, naming the allergen', () => {
    const result = evaluateMeal(rules({ allergens: ['peanuts', 'milk'] }), satay);
    assert.equal(result.verdict, 'blocked');
    assert.deepEqual(result.reasons, [{ rule: 'allergen', severity: 'blocked', allergen: 'peanuts', message: 'Contains peanuts' }]);
  });

  test('every one of the 14 allergens blocks a meal declaring it', () => {
    for (const allergen of EU_ALLERGENS) {
      const meal = { ...satay, allergens: [allergen] };
      assert.equal(evaluateMeal(rules({ allergens: [allergen] }), meal).verdict, 'blocked', allergen);
      assert.equal(evaluateMeal(rules({ allergens: EU_ALLERGENS.filter((other) => other !== allergen) }), meal).verdict, 'allowed', allergen);
    }
  });

  test('a diet the meal is not marked as suiting blocks it', () => {
    const result = evaluateMeal(rules({ diets: ['halal', 'vegetarian'] }), satay);
    assert.equal(result.verdict, 'blocked');
    assert.deepEqual(result.reasons.map((reason) => reason.message), ['Not vegetarian']);
  });

  test('a dislike only warns, matched by whole words and case-insensitively', () => {
    const result = evaluateMeal(rules({ dislikes: ['Onion', 'nut'] }), satay);
    assert.equal(result.verdict, 'warn');
    assert.deepEqual(result.reasons, [{ rule: 'dislike', severity: 'warn', ingredient: 'spring onion', message: 'Has spring onion, which you would rather avoid' }]);
    assert.equal(evaluateMeal(rules({ dislikes: ['rice'] }), { ...satay, ingredients: ['licorice'] }).verdict, 'allowed');
  });

  test('nutrition outside the per-meal targets warns, at the bounds it does not', () => {
    assert.equal(evaluateMeal(rules({ targets: { kcal: { min: 640, max: 640 }, proteinG: { min: 42 } } }), satay).verdict, 'allowed');
    const result = evaluateMeal(rules({ targets: { kcal: { max: 600 }, proteinG: { min: 50 } } }), satay);
    assert.equal(result.verdict, 'warn');
    assert.deepEqual(result.reasons.map((reason) => reason.message), ['Calories 640 kcal, above your 600 kcal', 'Protein 42 g, below your 50 g']);
  });

  test('hard and soft reasons together: blocked, hard reasons first', () => {
    const result = evaluateMeal(rules({ allergens: ['sesame'], dislikes: ['rice'], targets: { fatG: { max: 10 } } }), satay);
    assert.equal(result.verdict, 'blocked');
    assert.deepEqual(result.reasons.map((reason) => reason.rule), ['allergen', 'dislike', 'target']);
  });

  test('the rules refuse unknown allergens and a minimum above the maximum', () => {
    assert.equal(dietaryRules.safeParse({ allergens: ['strawberries'] }).success, false);
    assert.equal(dietaryRules.safeParse({ targets: { kcal: { min: 700, max: 500 } } }).success, false);
  });
});
