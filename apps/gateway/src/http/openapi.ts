import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** OpenAPI 3 at /docs-json, Swagger UI at /docs. */
export function installOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Cosmolocal')
    .setDescription(
      'Coordination backend for distributed manufacturing: design global, manufacture local. ' +
        'Every error is RFC 9457 problem details (application/problem+json).',
    )
    .setVersion('0.1.0')
    .addBearerAuth()
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json', yamlDocumentUrl: 'docs-yaml' });
}
