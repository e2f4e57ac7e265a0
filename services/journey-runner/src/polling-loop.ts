// the loop is shared with the audience sync, so it lives in @canvas/runtime
export { pollingLoop } from '@canvas/runtime';
