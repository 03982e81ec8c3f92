import { Injectable } from '@nestjs/common';

/**
 * The time, as the application sees it. Code that compares against expiries (API keys, client
 * secrets in their grace period) asks this provider instead of calling `new Date()`, so a test can
 * move time forward (`jest.spyOn(app.get(Clock), 'now')`) rather than sleep through a grace period.
 */
export abstract class Clock {
  abstract now(): Date;
}

@Injectable()
export class SystemClock extends Clock {
  now(): Date {
    return new Date();
  }
}
