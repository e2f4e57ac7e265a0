// one spelling rule for ad account ids, shared with the canvas model that stores them
export { actAdAccountId, bareAdAccountId } from '@canvas/canvas';
