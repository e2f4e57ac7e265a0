/**
 * The languages' words, from the packages that define them (decision 39): the console bundles
 * these pure files, never the schemas or the validator.
 */
export { matchKeys, identifierKeys } from '../../../../packages/canvas/src/model/match-keys.js';
export {
  operators,
  profileFields,
  weekdays,
  behaviourCountOps,
  reachabilityKinds,
  maxSegmentDepth,
  audienceDescriptionMax,
} from '../../../../packages/canvas/src/model/vocabulary.js';
export { problemCodes } from '../../../../packages/canvas/src/validate/problem.js';
export { normalizeCountry, countryList } from '../../../../packages/normalize/src/country.js';
export { normalizeState } from '../../../../packages/normalize/src/location.js';
export { usStates } from '../../../../packages/normalize/src/us-states.js';
