import type { Resync } from '../types.js';

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

/** The last resync of one following step, in a designer's words (counts only once they are known). */
export function describeResync(r: Resync): string {
  const members = r.members === null ? 'the members' : count(r.members, 'member');
  const batches = !r.batches ? '' : ` in ${count(r.batches, 'batch', 'batches')}`;
  const sent = !r.batches ? '' : `${r.batchesSent.toLocaleString()} of ${count(r.batches, 'batch', 'batches')} sent`;
  const sessions = r.sessions > 1 ? ` over ${r.sessions} sessions` : '';
  const changes =
    r.added === null ? '' : `; ${r.added.toLocaleString()} added, ${(r.removed ?? 0).toLocaleString()} removed`;
  switch (r.status) {
    case 'waiting':
      return 'Waiting to start';
    case 'uploading':
      return `Replacing with ${members}${sent ? `: ${sent}` : ''}${sessions}`;
    case 'confirming':
      return `Sent ${members}${batches}${sessions}; waiting for Meta to confirm`;
    case 'done':
      return `Replaced with ${members}${batches}${sessions}${changes}`;
    case 'unconfirmed':
      return `Meta did not confirm the replace with ${members}${sent ? ` (${sent})` : ''}`;
    default:
      return r.batchesSent > 0 && sent ? `Failed after ${sent}` : 'Failed before anything was sent';
  }
}
