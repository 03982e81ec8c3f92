import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'security:isPublic';

/** Opts a route out of authentication. Everything else is authenticated (deny by default). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
