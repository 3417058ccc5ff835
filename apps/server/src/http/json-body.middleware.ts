/**
 * Parses JSON bodies with a size limit, before any other work. A body over the
 * limit is 413, malformed JSON 400, another content type 415; the filter turns
 * these into JSON-RPC or REST errors.
 */
import {
  BadRequestException,
  HttpException,
  Injectable,
  type NestMiddleware,
  PayloadTooLargeException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { AppConfig } from '../config/app-config.js';

@Injectable()
export class JsonBodyMiddleware implements NestMiddleware {
  private readonly parse: RequestHandler;

  constructor(config: AppConfig) {
    this.parse = express.json({ limit: config.maxBodyBytes, strict: true });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (req.method !== 'POST') return next();
    if (!req.is('application/json')) {
      throw new UnsupportedMediaTypeException('Unsupported Media Type: Content-Type must be application/json');
    }
    await new Promise<void>((resolve, reject) => this.parse(req, res, (error?: unknown) => (error ? reject(toHttp(error)) : resolve())));
    next();
  }
}

function toHttp(error: unknown): HttpException {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') return new PayloadTooLargeException('Payload too large');
  if (type === 'entity.parse.failed') return new BadRequestException('Parse error: the body is not valid JSON');
  return new BadRequestException('Could not read the request body');
}
