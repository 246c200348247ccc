import { describe, expect, it } from "vitest";
import type { Action } from "@aws-sdk/client-elastic-load-balancing-v2";
import { keepingClientSecret } from "../../src/aws/listener-weights.js";

describe("writing back listener actions read from Describe", () => {
  const oidc: Action = {
    Type: "authenticate-oidc",
    Order: 1,
    AuthenticateOidcConfig: { Issuer: "https://idp.example.com", AuthorizationEndpoint: "https://idp.example.com/auth", TokenEndpoint: "https://idp.example.com/token", UserInfoEndpoint: "https://idp.example.com/user", ClientId: "slipway" },
  };

  it("keeps the existing OIDC client secret, which Describe never returns", () => {
    expect(keepingClientSecret(oidc).AuthenticateOidcConfig).toMatchObject({ ClientId: "slipway", UseExistingClientSecret: true });
  });

  it("leaves other actions, and an OIDC action that carries its secret, as they are", () => {
    const forward: Action = { Type: "forward", Order: 2, TargetGroupArn: "arn:tg" };
    expect(keepingClientSecret(forward)).toBe(forward);
    const withSecret: Action = { ...oidc, AuthenticateOidcConfig: { ...oidc.AuthenticateOidcConfig!, ClientSecret: "s3cret" } };
    expect(keepingClientSecret(withSecret)).toBe(withSecret);
  });
});
