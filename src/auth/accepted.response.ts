import { ApiProperty } from '@nestjs/swagger';
import { Expose } from 'class-transformer';

/**
 * The one body of a `202` from the account routes, the same whatever the address: it says what may happen,
 * never what did (docs/http-contract.md, Accounts).
 */
export class AcceptedResponse {
  @ApiProperty({ maxLength: 200, example: 'If this address can receive it, a mail is on its way.' })
  @Expose()
  message: string;
}

export const MAIL_ON_ITS_WAY: AcceptedResponse = { message: 'If this address can receive it, a mail is on its way.' };
