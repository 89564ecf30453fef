import type { StrategyType } from '../config/app-spec.js';
import { planBlueGreen } from './blue-green.js';
import { planRecreate } from './recreate.js';
import type { RolloutInput, RolloutStep } from './rollout-plan.js';

/**
 * The steps of a rollout for `strategy`. A runtime that cannot run two releases side by side gets
 * recreate whatever the spec says; rolling is planned as blue-green until it has its own planner
 * (both keep the previous release serving until the new one is ready). Pure.
 */
export function planRollout(strategy: StrategyType, input: RolloutInput): RolloutStep[] {
  if (strategy === 'recreate' || !input.parallelReleases) return planRecreate(input);
  return planBlueGreen(input);
}
