import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Orders API')
    .setDescription('A reference e-commerce API with security built in. The contract is API.md.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

/** `GET /docs` (the UI) and `GET /docs/openapi.json`; never mounted in production (API.md, Docs). */
export function setUpOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    // One document at one documented URL (API.md): no extra YAML route to forget about.
    raw: ['json'],
    useGlobalPrefix: false,
  });
}
