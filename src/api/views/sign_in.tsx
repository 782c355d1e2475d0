/**
 * The sign-in page an admin page answers with when the browser is not signed in.
 *
 * @module
 */
import { type Markup, Page, type PagePolicy } from "./page.tsx";

/** What the page may do: post its form to this origin. */
export const SIGN_IN_POLICY: PagePolicy = { forms: true };

const STYLE = `
main{max-width:26rem;margin:2rem auto;padding:0 1rem}
label{display:block;font-weight:600;margin-top:.5rem}
input,button{font:inherit;padding:.5rem;width:100%;margin:.25rem 0;border-radius:6px}
input{border:1px solid #5f687a;background:#fff;color:inherit}
button{border:0;background:#2a5fb8;color:#fff;cursor:pointer}
.error{color:#a02c2c;font-weight:600}
@media (prefers-color-scheme:dark){input{background:#181c22;border-color:#8a94a6}.error{color:#ff9b9b}}
`;

/** Properties of {@linkcode SignInPage}. */
export interface SignInProps {
  /** The page to return to after signing in; null: no form (admin is disabled). */
  next: string | null;
  /** Why the page asks. */
  message: string;
  /** The last attempt was refused. */
  failed: boolean;
}

/**
 * The form asking for the admin token: posted once to `/sign-in`, never put in an address.
 *
 * @example
 * ```ts
 * return sendPage(c, SignInPage({ next: "/dashboard", message, failed: false }), SIGN_IN_POLICY, 401);
 * ```
 */
export function SignInPage(props: SignInProps): Markup {
  return (
    <Page title="RVX · sign in" heading="RVX admin" style={STYLE}>
      <h2>Sign in</h2>
      {props.failed ? <p class="error" role="alert">{props.message}</p> : <p>{props.message}</p>}
      {props.next === null ? null : (
        <form method="post" action="/sign-in">
          <input type="hidden" name="next" value={props.next} />
          <label for="token">ADMIN_API_TOKEN</label>
          <input
            id="token"
            name="token"
            type="password"
            autocomplete="current-password"
            required
            maxlength={512}
          />
          <button type="submit">Sign in</button>
        </form>
      )}
    </Page>
  );
}
