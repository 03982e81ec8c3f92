import { SetMetadata } from '@nestjs/common';
import { IS_PUBLIC } from '../common/http/public-route';

/** Opts a route out of authentication. Everything else is authenticated (deny by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
