export { normalizeCountry, countryList } from './country.js';
export { normalizeBirthYear, normalizeBirthMonth, normalizeBirthDay, splitBirthday } from './date-of-birth.js';
export { normalizeEmail } from './email.js';
export { normalizeGender } from './gender.js';
export { normalizeMadid, normalizeExternId } from './identifiers.js';
export { normalizeCity, normalizeState, normalizeZip } from './location.js';
export { normalizeName, normalizeFirstInitial } from './name.js';
export { normalizePhone } from './phone.js';
