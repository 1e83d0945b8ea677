import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requiresSecondFactor } from '../../platform/auth/permissions.ts';
import { rotateCsrf } from '../../platform/http/csrf.ts';
import type { Deps } from '../../platform/http/deps.ts';
import { ValidationFailed } from '../../platform/http/errors.ts';
import { formString, isEmail, safeReturnTo } from '../../platform/http/forms.ts';
import { requirePrincipal, SignInRequired } from '../../platform/http/guards.ts';
import { clearSessionCookie, setSessionCookie } from '../../platform/http/session-cookie.ts';
import * as accounts from './service.ts';

type Params = { token: string };

/** Renders the page again with its error summary when a service rejects the input. */
async function withFormErrors(
  reply: FastifyReply,
  template: string,
  context: Record<string, unknown>,
  action: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (error) {
    if (error instanceof ValidationFailed) {
      reply.code(400).view(template, { ...context, errors: error.errors });
      return false;
    }
    throw error;
  }
}

function pendingPrincipal(request: FastifyRequest) {
  if (!request.principal || request.principal.via !== 'session') throw new SignInRequired();
  return request.principal;
}

const LINK_PROBLEMS = {
  expired: 'This link has expired.',
  used: 'This link has already been used.',
  unknown: 'This link is not valid.',
} as const;

export async function accountRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const { config } = deps;
  const limited = { rateLimit: { max: config.signInRateLimitPerMinute, timeWindow: '1 minute' } };

  app.get('/sign-in', async (request, reply) => {
    if (request.principal?.fullySignedIn) return reply.redirect('/');
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).returnTo);
    return reply.view('accounts/views/sign-in.njk', { pageTitle: 'Sign in', returnTo });
  });

  app.post('/sign-in', { config: limited }, async (request, reply) => {
    const email = formString(request.body, 'email');
    const password = formString(request.body, 'password', { trim: false });
    const returnTo = safeReturnTo(formString(request.body, 'returnTo'));
    const context = { pageTitle: 'Sign in', email, returnTo };
    const errors = [];
    if (!email) errors.push({ field: 'email', text: 'Enter your email address' });
    else if (!isEmail(email)) errors.push({ field: 'email', text: 'Enter an email address in the correct format, like name@example.org' });
    if (!password) errors.push({ field: 'password', text: 'Enter your password' });
    if (errors.length > 0) return reply.code(400).view('accounts/views/sign-in.njk', { ...context, errors });

    const result = await accounts.signIn(deps, email, password, request.ip);
    if (result.outcome === 'rejected') {
      const text = result.locked
        ? 'Your account is locked after too many failed attempts. Try again later, or reset your password.'
        : 'Enter a correct email address and password';
      return reply.code(400).view('accounts/views/sign-in.njk', { ...context, errors: [{ field: 'email', text }] });
    }
    setSessionCookie(reply, config, result.sessionToken);
    rotateCsrf(reply, config);
    if (result.needs === 'second-factor') return reply.redirect(`/sign-in/two-factor?returnTo=${encodeURIComponent(returnTo)}`);
    if (result.needs === 'second-factor-setup') return reply.redirect('/account/two-factor/setup');
    return reply.redirect(returnTo);
  });

  app.get('/sign-in/two-factor', async (request, reply) => {
    const principal = pendingPrincipal(request);
    if (principal.fullySignedIn) return reply.redirect('/');
    const returnTo = safeReturnTo((request.query as Record<string, unknown>).returnTo);
    return reply.view('accounts/views/two-factor.njk', { pageTitle: 'Enter your security code', returnTo });
  });

  app.post('/sign-in/two-factor', { config: limited }, async (request, reply) => {
    const principal = pendingPrincipal(request);
    const returnTo = safeReturnTo(formString(request.body, 'returnTo'));
    try {
      const ok = await withFormErrors(reply, 'accounts/views/two-factor.njk', { pageTitle: 'Enter your security code', returnTo }, () =>
        accounts.verifySecondFactor(deps, principal, formString(request.body, 'code')),
      );
      return ok ? reply.redirect(returnTo) : reply;
    } catch (error) {
      if (!(error instanceof accounts.AccountLocked)) throw error;
      clearSessionCookie(reply, config);
      return reply.redirect('/sign-in?locked=1');
    }
  });

  app.post('/sign-out', async (request, reply) => {
    if (request.principal) await accounts.signOut(deps, request.principal);
    clearSessionCookie(reply, config);
    return reply.redirect('/sign-in?signedOut=1');
  });

  app.get('/account', async (request, reply) => {
    const principal = requirePrincipal(request);
    const flash = (request.query as Record<string, string>).done;
    return reply.view('accounts/views/account.njk', {
      pageTitle: 'Your account',
      twoFactorRequired: requiresSecondFactor(principal.role),
      flash: flash === 'two-factor' ? 'Two-factor authentication is now on.' : flash === 'two-factor-off' ? 'Two-factor authentication is now off.' : undefined,
    });
  });

  app.get('/account/sign-out-everywhere', async (request, reply) => {
    requirePrincipal(request);
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: 'Sign out everywhere',
      question: 'Sign out of Throughgate on every device?',
      explanation: 'This ends all your sessions, including this one. You will need to sign in again.',
      action: '/account/sign-out-everywhere',
      confirmText: 'Sign out everywhere',
      cancelHref: '/account',
    });
  });

  app.post('/account/sign-out-everywhere', async (request, reply) => {
    const principal = requirePrincipal(request);
    await accounts.signOutEverywhere(deps, principal);
    clearSessionCookie(reply, config);
    return reply.redirect('/sign-in?signedOut=everywhere');
  });

  async function setupPage(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) {
    const principal = pendingPrincipal(request);
    const setup = await accounts.beginTwoFactorSetup(deps, principal);
    // Loaded when someone sets up two-factor authentication, not at start-up.
    const { default: QRCode } = await import('qrcode');
    const qrSvg = await QRCode.toString(setup.uri, { type: 'svg', margin: 1 });
    return reply.view('accounts/views/two-factor-setup.njk', {
      pageTitle: 'Set up two-factor authentication',
      secret: setup.secret.replace(/(.{4})/g, '$1 ').trim(),
      qrSvg,
      required: !principal.fullySignedIn,
      ...extra,
    });
  }

  app.get('/account/two-factor/setup', async (request, reply) => {
    const principal = pendingPrincipal(request);
    if (principal.twoFactorEnabled) return reply.redirect(principal.fullySignedIn ? '/account' : '/sign-in/two-factor');
    return setupPage(request, reply);
  });

  app.post('/account/two-factor/setup', { config: limited }, async (request, reply) => {
    const principal = pendingPrincipal(request);
    // As for GET: re-rendering the set-up page would replace an enrolled key, letting a password alone skip the code.
    if (principal.twoFactorEnabled) return reply.redirect(principal.fullySignedIn ? '/account' : '/sign-in/two-factor');
    try {
      await accounts.confirmTwoFactorSetup(deps, principal, formString(request.body, 'code'));
    } catch (error) {
      if (error instanceof ValidationFailed) return setupPage(request, reply.code(400), { errors: error.errors });
      throw error;
    }
    return reply.redirect('/account?done=two-factor');
  });

  app.get('/account/two-factor/disable', async (request, reply) => {
    requirePrincipal(request);
    return reply.view('accounts/views/confirm.njk', {
      pageTitle: 'Turn off two-factor authentication',
      question: 'Turn off two-factor authentication?',
      explanation: 'Your account will be protected by your password alone.',
      action: '/account/two-factor/disable',
      confirmText: 'Turn off',
      cancelHref: '/account',
      warning: true,
    });
  });

  app.post('/account/two-factor/disable', async (request, reply) => {
    const principal = requirePrincipal(request);
    const ok = await withFormErrors(reply, 'accounts/views/account.njk', { pageTitle: 'Your account', twoFactorRequired: true }, () =>
      accounts.disableTwoFactor(deps, principal),
    );
    return ok ? reply.redirect('/account?done=two-factor-off') : reply;
  });

  app.get('/password-reset', async (_request, reply) =>
    reply.view('accounts/views/password-reset-request.njk', { pageTitle: 'Reset your password' }),
  );

  app.post('/password-reset', { config: limited }, async (request, reply) => {
    const email = formString(request.body, 'email');
    if (!isEmail(email)) {
      return reply.code(400).view('accounts/views/password-reset-request.njk', {
        pageTitle: 'Reset your password',
        email,
        errors: [{ field: 'email', text: email ? 'Enter an email address in the correct format, like name@example.org' : 'Enter your email address' }],
      });
    }
    await accounts.requestPasswordReset(deps, email);
    return reply.view('accounts/views/password-reset-sent.njk', { pageTitle: 'Check your email' });
  });

  for (const purpose of ['password_reset', 'invitation'] as const) {
    const base = purpose === 'password_reset' ? '/password-reset' : '/invitations';
    const template = 'accounts/views/set-password.njk';
    const title = purpose === 'password_reset' ? 'Choose a new password' : 'Set up your account';

    const linkProblem = (reply: FastifyReply, state: 'expired' | 'used' | 'unknown') =>
      reply.code(410).view('accounts/views/link-problem.njk', {
        pageTitle: LINK_PROBLEMS[state],
        heading: LINK_PROBLEMS[state],
        purpose,
      });

    app.get<{ Params: Params }>(`${base}/:token`, async (request, reply) => {
      const state = await accounts.checkLink(deps, request.params.token, purpose);
      if (state.state !== 'valid') return linkProblem(reply, state.state);
      return reply.view(template, { pageTitle: title, purpose, email: state.email, action: `${base}/${request.params.token}` });
    });

    app.post<{ Params: Params }>(`${base}/:token`, { config: limited }, async (request, reply) => {
      const token = request.params.token;
      const context = { pageTitle: title, purpose, action: `${base}/${token}` };
      let state: accounts.LinkState;
      try {
        state = await accounts.completeLink(
          deps,
          token,
          purpose,
          formString(request.body, 'password', { trim: false }),
          formString(request.body, 'confirm', { trim: false }),
        );
      } catch (error) {
        if (error instanceof ValidationFailed) return reply.code(400).view(template, { ...context, errors: error.errors });
        throw error;
      }
      if (state.state !== 'valid') return linkProblem(reply, state.state);
      return reply.redirect(`/sign-in?done=${purpose === 'password_reset' ? 'password-reset' : 'account-ready'}`);
    });
  }
}
