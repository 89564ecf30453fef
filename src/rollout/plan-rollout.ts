import type { StrategyType } from '../config/app-spec.js';
import { planBlueGreen } from './blue-green.js';
import { planRecreate } from './recreate.js';
import { planRolling } from './rolling.js';
import type { RolloutInput, RolloutStep } from './rollout-plan.js';

/**
 * The steps of a rollout for `strategy`. A runtime that cannot run two releases side by side gets
 * recreate whatever the spec says. Pure.
 */
export function planRollout(strategy: StrategyType, input: RolloutInput): RolloutStep[] {
  if (strategy === 'recreate' || !input.parallelReleases) return planRecreate(input);
  if (strategy === 'rolling') return planRolling(input);
  return planBlueGreen(input);
}
