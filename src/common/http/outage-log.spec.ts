import { Logger } from '@nestjs/common';
import { OutageLog } from './outage-log';

describe('OutageLog', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('writes the first error, then one line per 10 s counting the requests in between', () => {
    const logger = new Logger('test');
    const lines = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const outage = new OutageLog(logger, 'Database unavailable');
    const cause = new Error('connect ECONNREFUSED');

    for (let i = 0; i < 500; i++) outage.record(cause, `request-${i}`);
    jest.advanceTimersByTime(10_000);
    outage.record(cause, 'request-500');

    expect(lines.mock.calls).toEqual([
      [{ err: cause, requestId: 'request-0' }, 'Database unavailable: answering 503'],
      [{ err: cause, requestId: 'request-500' }, 'Database unavailable: answering 503; 499 more requests answered 503 since the last line'],
    ]);
  });
});
