import { describe, expect, it } from 'vitest';
import { encodeFrame, parseClientFrame, parseServerFrame } from '../../src/protocol/frames.js';
import { randomId } from '../../src/shared/random-id.js';
import { utf8ByteLength } from '../../src/protocol/utf8-byte-length.js';

describe('protocol frames', () => {
  it('round-trips every client frame', () => {
    const frames = [
      { t: 'hello', sid: 's1', lastSeq: 0 },
      { t: 'msg', id: 'm1', body: { a: [1, 'x'] }, ch: 'chat' },
      { t: 'msg', id: 'm2', body: null },
      { t: 'ack', seq: 12 },
      { t: 'ping', n: 3 },
    ] as const;
    for (const frame of frames) expect(parseClientFrame(encodeFrame(frame))).toEqual(frame);
  });

  it('round-trips every server frame', () => {
    const frames = [
      { t: 'welcome', sid: 's1', replay: 2 },
      { t: 'resume-failed', sid: 's1', seq: 40 },
      { t: 'msg', seq: 1, id: 'x', body: 'hi' },
      { t: 'ack', id: 'm1' },
      { t: 'pong', n: 3 },
    ] as const;
    for (const frame of frames) expect(parseServerFrame(encodeFrame(frame))).toEqual(frame);
  });

  it('ignores malformed frames without throwing', () => {
    const bad: unknown[] = [
      undefined,
      42,
      Buffer.from('{"t":"ping","n":1}'),
      '',
      'not json',
      '[]',
      'null',
      '"str"',
      '{}',
      '{"t":"nope"}',
      '{"t":"hello","sid":"","lastSeq":0}',
      '{"t":"hello","sid":"s","lastSeq":-1}',
      '{"t":"hello","sid":"s","lastSeq":1.5}',
      `{"t":"hello","sid":"${'x'.repeat(129)}","lastSeq":0}`,
      '{"t":"msg","id":"m"}',
      '{"t":"msg","id":"m","body":1,"ch":5}',
      '{"t":"ack","seq":"3"}',
      '{"t":"ping"}',
    ];
    for (const data of bad) expect(parseClientFrame(data)).toBeUndefined();
    expect(parseServerFrame('{"t":"msg","seq":0,"id":"x","body":1}')).toBeUndefined();
    expect(parseServerFrame('{"t":"ack","seq":3}')).toBeUndefined();
    expect(parseServerFrame('{"t":"welcome","sid":"s"}')).toBeUndefined();
    expect(parseServerFrame('{"t":"hello","sid":"s","lastSeq":0}')).toBeUndefined();
  });

  it('makes random URL-safe ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => randomId()));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('measures UTF-8 sizes', () => {
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('é')).toBe(2);
    expect(utf8ByteLength('€')).toBe(3);
    expect(utf8ByteLength('😀')).toBe(4);
    expect(utf8ByteLength('a😀é€')).toBe(Buffer.byteLength('a😀é€'));
  });
});
