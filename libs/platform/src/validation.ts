import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { badRequest, type FieldError } from '#libs/contracts/src/index.js';

/** Flattens class-validator's tree into dotted field paths a client can show next to inputs. */
export function fieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const field = parent ? `${parent}.${e.property}` : e.property;
    for (const message of Object.values(e.constraints ?? {})) {
      out.push({ field, message: message.startsWith(e.property + ' ') ? message : `${e.property} ${message}` });
    }
    if (e.children?.length) out.push(...fieldErrors(e.children, field));
  }
  return out;
}

/**
 * One validation policy for HTTP and the transport alike: unknown fields are refused (a typo
 * in a field name must not silently do nothing), values are converted to their declared types.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const list = fieldErrors(errors);
      const summary = list.length === 1 ? list[0]!.message : `${list.length} fields are not valid`;
      return badRequest(summary, list);
    },
  });
}
