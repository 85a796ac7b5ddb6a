/** The login page: e-mail and password, posted to `POST /api/login` by the page script. */
import { html } from '../html.ts';
import { PRODUCT, formResult, page } from '../layout.ts';

export function loginPage(next: string): string {
  return page({
    title: 'Log in',
    body: html`<h1>Log in to ${PRODUCT}</h1>
<form class="card narrow" novalidate data-form="login" data-api="/api/login" data-method="POST" data-next="${next}">
  <p><label for="email">E-mail</label>
  <input id="email" name="email" type="email" autocomplete="username" required></p>
  <p><label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Log in</button></p>
  ${formResult()}
</form>
<p class="muted">Accounts are opened by support.</p>`,
  });
}
