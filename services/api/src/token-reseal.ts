import { replaceSealedToken, tokensInFormat, type Db } from '@canvas/db';
import type { TokenCipher } from '@canvas/runtime';

// the cipher's format before tokens were bound to their row
const unboundFormat = 1;

/**
 * Seals again, bound to their row, the tokens written before the binding; run once at API start.
 * A row written meanwhile keeps its newer token. Answers how many were resealed.
 */
export async function resealUnboundTokens(db: Db, cipher: TokenCipher): Promise<number> {
  let resealed = 0;
  for (const stored of await tokensInFormat(db, unboundFormat)) {
    const token = cipher.decrypt(stored.tokenCiphertext, stored);
    if (await replaceSealedToken(db, stored, cipher.encrypt(token, stored))) resealed += 1;
  }
  return resealed;
}
