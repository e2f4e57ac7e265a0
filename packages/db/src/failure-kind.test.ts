import { describe, expect, it } from '@jest/globals';
import { failureKind, sqlStateOf } from './failure-kind.js';

const pgError = (code: string) => Object.assign(new Error('pg'), { code });

describe('failureKind', () => {
  it.each([
    ['a refused value (22P02)', pgError('22P02'), 'message'],
    ['a string with NUL (22021)', pgError('22021'), 'message'],
    ['a jsonb too deep (54001)', pgError('54001'), 'message'],
    ['a unique violation (23505)', pgError('23505'), 'message'],
    ['a lost connection (08006)', pgError('08006'), 'transient'],
    ['a serialization failure (40001)', pgError('40001'), 'transient'],
    ['a deadlock (40P01)', pgError('40P01'), 'transient'],
    ['too many connections (53300)', pgError('53300'), 'transient'],
    ['an administrator shutdown (57P01)', pgError('57P01'), 'transient'],
    ['a statement timeout (57014)', pgError('57014'), 'transient'],
    ['a refused socket', Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), 'transient'],
    ['a broken pipe', Object.assign(new Error('x'), { code: 'EPIPE' }), 'transient'],
    ['a dropped pool connection', new Error('Connection terminated unexpectedly'), 'transient'],
    ['an unreachable broker', Object.assign(new Error('x'), { name: 'KafkaJSConnectionError' }), 'transient'],
    ['a stack overflow', new RangeError('Maximum call stack size exceeded'), 'message'],
    ['a type error', new TypeError('x is undefined'), 'message'],
    ['a thrown string', 'boom', 'message'],
    ['a thrown null', null, 'message'],
  ])('%s is %s', (_what, error, kind) => {
    expect(failureKind(error)).toBe(kind);
  });

  it('reads a SQLSTATE only from five-character codes', () => {
    expect(sqlStateOf(pgError('22P02'))).toBe('22P02');
    expect(sqlStateOf(pgError('ECONNREFUSED'))).toBeUndefined();
    expect(sqlStateOf('22P02')).toBeUndefined();
  });
});
