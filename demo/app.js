// The storefront demo: an OAuth public client in the browser, with no library (OAuth 2.0 for Browser-Based
// Applications, the IETF BCP, and OAuth 2.1). It signs the user in with the authorization code flow and PKCE, then
// calls the API with the access token it got. Every value it shows goes into the page as text (textContent), never
// as HTML, so nothing the service answers can become markup or script.

// The redirect URI the app was registered with, character for character (RFC 6749 §3.1.2; OAuth 2.1 exact match).
const REDIRECT_URI = `${location.origin}/demo/`;
const SCOPE = 'orders:read orders:write';
// The one thing kept across the trip to the authorization page and back: a verifier, a state, a client_id, never a token.
const PENDING_KEY = 'demo.pending-authorization';
// Refresh this long before the access token expires, so that no call meets an expired token.
const REFRESH_MARGIN_SECONDS = 60;

// Tokens live in this module's memory only (browser-based apps BCP, token storage): no storage or cookie holds them
// for another script or tab to read, and they are gone with the tab; a reload means signing in again. A script
// injected into this page could still act through it: keeping any out is the CSP's job.
let session = null;
let refreshTimer;
let clientId;
let metadata;

const element = (id) => document.getElementById(id);

main().catch((error) => say(error.message));

async function main() {
  on('sign-in', signIn);
  on('sign-out', signOut);
  on('look-up', lookUp);
  metadata = await discover();
  const answer = new URLSearchParams(location.search);
  clientId = answer.get('client_id');
  if (answer.has('code') || answer.has('error')) await finishSignIn(answer).catch((error) => say(error.message));
  else if (!clientId) say('Open this page as /demo/?client_id=<the client_id of the app you registered> (see the README).');
  element('sign-in').disabled = !clientId;
}

/** The authorization server's endpoints, from its RFC 8414 metadata. */
async function discover() {
  const found = await json(await fetch('/.well-known/oauth-authorization-server'));
  // RFC 8414 §3.3: the issuer must be the very origin the metadata was read from, or it describes another server.
  if (found.issuer !== location.origin) throw new Error(`Open this page on the issuer, ${found.issuer}, not on ${location.origin}.`);
  return found;
}

async function signIn() {
  // RFC 7636 §4.1: 32 random bytes make a 43-character verifier; it stays here, and only its digest travels (§4.2, S256).
  const verifier = randomText(32);
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  // RFC 6749 §10.12 (and RFC 9700 §2.1): a value only this tab knows, checked on return, so that no one can make
  // the page redeem a code of their own (CSRF).
  const state = randomText(16);
  // sessionStorage: this tab only, and gone when it closes. A variable would not survive the redirect.
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ clientId, state, verifier }));
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    scope: SCOPE,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url);
}

/** Back from the authorization page with a code, or with an error (RFC 6749 §4.1.2, §4.1.2.1). */
async function finishSignIn(answer) {
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY));
  // Single use: whatever happens next, this request's verifier and state are spent.
  sessionStorage.removeItem(PENDING_KEY);
  clientId = pending?.clientId;
  try {
    if (!pending || answer.get('state') !== pending.state) throw new Error('This sign-in was not started here: sign in again.');
    // RFC 9207 §2.4: the answer must name the issuer this page sent the user to, or it may come from another
    // server mixed up with it (a mix-up attack). The metadata says every answer carries iss.
    if (answer.get('iss') !== metadata.issuer) throw new Error('This answer did not come from the expected server: sign in again.');
    if (answer.get('error') === 'access_denied') throw new Error('You declined: the storefront got no access to your orders.');
    if (answer.has('error')) throw new Error(`The sign-in failed (${answer.get('error')}).`);
    startSession(
      // RFC 7636 §4.5: the verifier proves that whoever redeems the code is who asked for it.
      await tokenRequest({ grant_type: 'authorization_code', code: answer.get('code'), redirect_uri: REDIRECT_URI, code_verifier: pending.verifier }),
    );
  } finally {
    // The code is spent: keep it, the state and iss out of the address bar, the history and any bookmark. The
    // client_id stays, so that a reload can sign in again.
    history.replaceState(null, '', clientId ? `${REDIRECT_URI}?client_id=${encodeURIComponent(clientId)}` : REDIRECT_URI);
  }
  say('Signed in.');
  await Promise.all([showProducts(), showOrders()]);
}

/** A public client names itself with its client_id alone (RFC 6749 §2.3, method `none`): it has no secret to keep. */
async function tokenRequest(parameters) {
  const response = await fetch(metadata.token_endpoint, { method: 'POST', body: new URLSearchParams({ ...parameters, client_id: clientId }) });
  const body = await response.json();
  if (!response.ok) throw new Error(`The token endpoint refused: ${body.error}.`);
  return body;
}

function startSession(tokens) {
  session = { accessToken: tokens.access_token, refreshToken: tokens.refresh_token };
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refresh().catch((error) => endSession(error.message)), (tokens.expires_in - REFRESH_MARGIN_SECONDS) * 1000);
  showSignedIn(true);
}

/** Silent refresh: a new pair before the access token expires, without sending the user anywhere. */
async function refresh() {
  // RFC 9700 §4.14.2: the refresh token rotates, so the new one replaces the old, which is spent.
  startSession(await tokenRequest({ grant_type: 'refresh_token', refresh_token: session.refreshToken }));
  element('renewed').textContent = `at ${new Date().toLocaleTimeString()}`;
}

async function signOut() {
  const { refreshToken } = session;
  // Forgotten first: whatever the revocation's fate, this page holds no token any more.
  endSession('Signed out.');
  // RFC 7009 §2.1: revoking the refresh token ends its access tokens too (here, the whole token family).
  const response = await fetch(metadata.revocation_endpoint, { method: 'POST', body: new URLSearchParams({ token: refreshToken, client_id: clientId }) });
  if (!response.ok) say(`Signed out here, but the service answered ${response.status} to the revocation.`);
}

function endSession(message) {
  clearTimeout(refreshTimer);
  session = null;
  showSignedIn(false);
  element('products').replaceChildren();
  element('orders').replaceChildren();
  element('lookup-result').textContent = '';
  element('renewed').textContent = 'not yet';
  say(message);
}

/** A call to the API with the access token (RFC 6750 §2.1: in the Authorization header, never in the URL). */
function api(path, init = {}) {
  return fetch(path, { ...init, headers: { ...init.headers, authorization: `Bearer ${session.accessToken}` } });
}

async function showProducts() {
  // The catalogue is public: no token is needed, so none is sent.
  const products = await json(await fetch('/api/v1/products'));
  element('products').replaceChildren(...products.data.map(productItem));
}

function productItem(product) {
  const button = document.createElement('button');
  button.type = 'button';
  button.textContent = product.inStock ? 'Order one' : 'Out of stock';
  button.disabled = !product.inStock;
  button.addEventListener('click', () => placeOrder(product.id).catch((error) => say(error.message)));
  const item = listItem(`${product.name}, ${money(product.priceCents, product.currency)} `);
  item.append(button);
  return item;
}

async function placeOrder(productId) {
  const init = {
    method: 'POST',
    // docs/http-contract.md, Orders: the same key on a retry answers the first order again and places nothing, so
    // an answer lost on the way (a network error) can be asked for again safely, once.
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ items: [{ productId, quantity: 1 }] }),
  };
  const order = await json(await api('/api/v1/orders', init).catch(() => api('/api/v1/orders', init)));
  say(`Order ${order.id} placed.`);
  await showOrders();
}

async function showOrders() {
  const orders = await json(await api('/api/v1/orders'));
  const items = orders.data.map((order) => listItem(describeOrder(order)));
  element('orders').replaceChildren(...(items.length > 0 ? items : [listItem('No orders yet.')]));
}

async function lookUp() {
  const result = element('lookup-result');
  const response = await api(`/api/v1/orders/${encodeURIComponent(element('order-id').value.trim())}`);
  // Someone else's order is the same 404 as one that does not exist (docs/decisions/0004): one message for both.
  if (response.status === 404) result.textContent = 'Order not found';
  else result.textContent = describeOrder(await json(response));
}

function describeOrder(order) {
  return `${order.id}: ${order.status}, ${money(order.totalCents, order.currency)}`;
}

function showSignedIn(signedIn) {
  element('signed-in').hidden = !signedIn;
  element('signed-out').hidden = signedIn;
}

function listItem(text) {
  const item = document.createElement('li');
  item.textContent = text;
  return item;
}

function say(text) {
  element('message').textContent = text;
}

/** A click handler whose failure is shown on the page rather than lost. */
function on(id, handler) {
  element(id).addEventListener('click', () => handler().catch((error) => say(error.message)));
}

async function json(response) {
  if (!response.ok) throw new Error(`The service answered ${response.status}.`);
  return response.json();
}

// Amounts are in minor units (docs/http-contract.md, General rules); the currencies here have two decimals.
function money(cents, currency) {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).format(cents / 100);
}

/** `bytes` from the browser's CSPRNG, as base64url (RFC 7636 §4.1 asks a verifier of this alphabet). */
function randomText(bytes) {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64url(bytes) {
  return btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
