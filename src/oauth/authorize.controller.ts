import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { HttpOrigin, Origin } from '../audit/request-origin.decorator';
import { Public } from '../security/public.decorator';
import { RateLimitReport, ReportRateLimits } from '../throttling/rate-limit-report';
import type { AuthorizeQuery } from './authorization-request';
import { AuthorizeAnswer, writePageError } from './authorize-answer';
import { AuthorizeService } from './authorize.service';
import { AuthorizeConsentForm, AuthorizeLoginForm } from './dto/authorize-forms.dto';

/** Where the authorization endpoint is: outside /api/v1, as a page a browser is sent to (app.factory.ts). */
export const AUTHORIZE_PATH = 'oauth/authorize';

/**
 * The authorization endpoint (RFC 6749 §3.1, §4.1; docs/http-contract.md, Delegated authorization) and the two
 * forms of its pages. Pages for a browser, not API operations: left out of the OpenAPI document. Public: the user
 * signs in here, with their password, not with a token. Every error is a page (writePageError).
 */
@ApiExcludeController()
@Public()
@Controller(AUTHORIZE_PATH)
export class AuthorizeController {
  constructor(private readonly authorize: AuthorizeService) {}

  /** RFC 6749 §3.1: unknown parameters are ignored, so the query is read whole, not validated as a DTO. */
  @Get()
  @RouteConfig({ errorWriter: writePageError })
  async start(@Query() query: AuthorizeQuery, @Origin() origin: HttpOrigin, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return send(reply, await this.authorize.start(query, origin));
  }

  @Post('login')
  @HttpCode(200)
  // One object: a second @RouteConfig would replace the first.
  @RouteConfig({ acceptsFormBody: true, errorWriter: writePageError })
  async login(
    @Body() form: AuthorizeLoginForm,
    @Headers('cookie') cookie: string | undefined,
    @Origin() origin: HttpOrigin,
    @ReportRateLimits() report: RateLimitReport,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return send(reply, await this.authorize.signIn(form, cookie, origin, report));
  }

  @Post('consent')
  @HttpCode(200)
  @RouteConfig({ acceptsFormBody: true, errorWriter: writePageError })
  async consent(
    @Body() form: AuthorizeConsentForm,
    @Headers('cookie') cookie: string | undefined,
    @Origin() origin: HttpOrigin,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    return send(reply, await this.authorize.decide(form, cookie, origin));
  }
}

/** Writes an answer: its status, cookie and either the page or the redirect; never cached, since both hold a secret (a form's token, a code). */
function send(reply: FastifyReply, answer: AuthorizeAnswer): string {
  void reply.code(answer.status).header('cache-control', 'no-store');
  if (answer.cookie) void reply.header('set-cookie', answer.cookie);
  if ('location' in answer) {
    void reply.header('location', answer.location);
    return '';
  }
  void reply.header('content-type', 'text/html; charset=utf-8');
  if (answer.csp) void reply.header('content-security-policy', answer.csp);
  return answer.html;
}
