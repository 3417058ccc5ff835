/**
 * Parses JSON bodies with a size limit, before any other work. A declared
 * Content-Length over the limit is refused before a byte is read, and a
 * chunked body is cut off as soon as it passes the limit; both are 413 and
 * close the connection so the client stops sending. Malformed JSON is 400,
 * another content type 415; the filter turns these into JSON-RPC or REST errors.
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

  private readonly limit: number;

  constructor(config: AppConfig) {
    this.limit = config.maxBodyBytes;
    this.parse = express.json({ limit: config.maxBodyBytes, strict: true });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    if (req.method !== 'POST') return next();
    if (!req.is('application/json')) {
      throw new UnsupportedMediaTypeException('Unsupported Media Type: Content-Type must be application/json');
    }
    if (Number(req.headers['content-length'] ?? 0) > this.limit) throw tooLarge(res);
    await new Promise<void>((resolve, reject) =>
      this.parse(req, res, (error?: unknown) => (error ? reject(toHttp(error, res)) : resolve())),
    );
    next();
  }
}

/** 413, and the connection closes after the answer instead of reading the rest of the body. */
function tooLarge(res: Response): HttpException {
  res.setHeader('Connection', 'close');
  res.once('finish', () => res.req.socket.destroySoon());
  return new PayloadTooLargeException('Payload too large');
}

function toHttp(error: unknown, res: Response): HttpException {
  const type = (error as { type?: string }).type;
  if (type === 'entity.too.large') return tooLarge(res);
  if (type === 'entity.parse.failed') return new BadRequestException('Parse error: the body is not valid JSON');
  return new BadRequestException('Could not read the request body');
}
