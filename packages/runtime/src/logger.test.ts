import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { lines, logger: createLogger({ name: 'test', destination }) };
}

describe('the logger', () => {
  it('redacts e-mails, phone numbers and access tokens in the declared fields', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        email: 'jane.doe@example.com',
        profile: { phone: '+1 650 555 1234', email: 'jane.doe@example.com' },
        account: { accessToken: 'EAAB-secret-token' },
        event: { traits: { email: 'jane.doe@example.com', phone: '+33 6 12 34 56 78' } },
        req: { headers: { authorization: 'Bearer cjk_live_123' } },
        canvasId: 'c1',
      },
      'user entered',
    );
    const text = lines.join('');
    expect(text).not.toContain('jane.doe@example.com');
    expect(text).not.toContain('650 555 1234');
    expect(text).not.toContain('6 12 34 56 78');
    expect(text).not.toContain('EAAB-secret-token');
    expect(text).not.toContain('cjk_live_123');
    const line = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      email: '[redacted]',
      profile: { phone: '[redacted]', email: '[redacted]' },
      account: { accessToken: '[redacted]' },
      event: { traits: { email: '[redacted]', phone: '[redacted]' } },
      canvasId: 'c1',
      msg: 'user entered',
      level: 'info',
    });
  });
});
