/**
 * The HTML a website pastes to collect leads: a plain form and a small script that posts it
 * as JSON to the public endpoint. The hidden `website` field is a spam trap: people never
 * see it, bots fill it in, and the server then quietly drops the submission.
 */

export interface EmbedLabels {
  name: string;
  company: string;
  phone: string;
  email: string;
  message: string;
  submit: string;
  sending: string;
  thanks: string;
  failed: string;
}

export function publicFormUrl(origin: string, token: string): string {
  return `${origin.replace(/\/+$/, '')}/api/v1/public/forms/${encodeURIComponent(token)}/leads`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** Text inside a <script> string literal: JSON quoting, and no way to close the script tag. */
function jsString(text: string): string {
  return JSON.stringify(text).replace(/</g, '\\u003c');
}

export function embedSnippet(form: { name: string; token: string }, origin: string, labels: EmbedLabels): string {
  const id = `rapport-form-${form.token.slice(0, 8).replace(/[^A-Za-z0-9_-]/g, '')}`;
  const l = Object.fromEntries(
    Object.entries(labels).map(([key, text]: [string, string]) => [key, escapeHtml(text)]),
  ) as Record<keyof EmbedLabels, string>;
  return `<!-- ${escapeHtml(form.name).replace(/--/g, '- -')} -->
<form id="${id}">
  <p><label>${l.name} *<br><input name="name" required maxlength="100"></label></p>
  <p><label>${l.company}<br><input name="company" maxlength="200"></label></p>
  <p><label>${l.phone}<br><input name="phone" type="tel" maxlength="40"></label></p>
  <p><label>${l.email}<br><input name="email" type="email" maxlength="254"></label></p>
  <p><label>${l.message}<br><textarea name="message" rows="3" maxlength="2000"></textarea></label></p>
  <p style="position:absolute;left:-10000px" aria-hidden="true"><input name="website" tabindex="-1" autocomplete="off"></p>
  <p><button type="submit">${l.submit}</button> <span role="status"></span></p>
</form>
<script>
(function () {
  var form = document.getElementById(${jsString(id)});
  var status = form.querySelector('[role="status"]');
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var data = {};
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== '') data[key] = String(value).trim();
    });
    status.textContent = ${jsString(labels.sending)};
    fetch(${jsString(publicFormUrl(origin, form.token))}, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(data)
    }).then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      form.reset();
      status.textContent = ${jsString(labels.thanks)};
    }).catch(function () {
      status.textContent = ${jsString(labels.failed)};
    });
  });
})();
</script>
`;
}
