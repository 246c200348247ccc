import type { DescribeListenerAttributesInput, ListenerAttribute, ModifyListenerAttributesInput } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Handler } from "../module.js";
import { list, requiredString } from "./coerce.js";
import { stateOf } from "./context.js";
import { validation } from "./errors.js";
import { requireListener } from "./listeners.js";
import type { ListenerRecord } from "./state.js";

/**
 * DescribeListenerAttributes and ModifyListenerAttributes for ALB listeners, as the ListenerAttribute shape's
 * documentation lists them: the response headers an ALB adds (none by default; the Server header on), and on HTTPS
 * listeners the names of the mTLS and TLS request headers (AWS's own names by default). They are kept and shown;
 * the simulator's frontends do not apply them.
 */
const responseHeaders = [
  "strict_transport_security",
  "access_control_allow_origin",
  "access_control_allow_methods",
  "access_control_allow_headers",
  "access_control_allow_credentials",
  "access_control_expose_headers",
  "access_control_max_age",
  "content_security_policy",
  "x_content_type_options",
  "x_frame_options",
];

const httpsRequestHeaders: [string, string][] = [
  ["x_amzn_mtls_clientcert_serial_number", "X-Amzn-Mtls-Clientcert-Serial-Number"],
  ["x_amzn_mtls_clientcert_issuer", "X-Amzn-Mtls-Clientcert-Issuer"],
  ["x_amzn_mtls_clientcert_subject", "X-Amzn-Mtls-Clientcert-Subject"],
  ["x_amzn_mtls_clientcert_validity", "X-Amzn-Mtls-Clientcert-Validity"],
  ["x_amzn_mtls_clientcert_leaf", "X-Amzn-Mtls-Clientcert-Leaf"],
  ["x_amzn_mtls_clientcert", "X-Amzn-Mtls-Clientcert"],
  ["x_amzn_tls_version", "X-Amzn-Tls-Version"],
  ["x_amzn_tls_cipher_suite", "X-Amzn-Tls-Cipher-Suite"],
];

/** The attributes a listener of this protocol has, with AWS's defaults. */
function defaults(protocol: string): Map<string, string> {
  const out = new Map<string, string>();
  if (protocol === "HTTPS") for (const [key, header] of httpsRequestHeaders) out.set(`routing.http.request.${key}.header_name`, header);
  out.set("routing.http.response.server.enabled", "true");
  for (const key of responseHeaders) out.set(`routing.http.response.${key}.header_value`, "");
  return out;
}

function attributesOf(listener: ListenerRecord): Map<string, string> {
  const out = defaults(listener.protocol);
  // A value set while the listener was HTTPS stays kept but is not shown on an HTTP listener.
  for (const [key, value] of listener.attributes ?? []) if (out.has(key)) out.set(key, value);
  return out;
}

const attributeList = (attributes: Map<string, string>): ListenerAttribute[] => [...attributes].map(([Key, Value]) => ({ Key, Value }));

export const listenerAttributeOperations: Record<string, Handler> = {
  DescribeListenerAttributes(input: DescribeListenerAttributesInput, ctx) {
    const listener = requireListener(stateOf(ctx), requiredString(input.ListenerArn, "ListenerArn"));
    return { Attributes: attributeList(attributesOf(listener)) };
  },

  ModifyListenerAttributes(input: ModifyListenerAttributesInput, ctx) {
    const listener = requireListener(stateOf(ctx), requiredString(input.ListenerArn, "ListenerArn"));
    const known = defaults(listener.protocol);
    const changes = list<ListenerAttribute>(input.Attributes);
    if (changes.length === 0) throw validation("At least one attribute must be specified");
    for (const { Key, Value } of changes) {
      if (!Key || !known.has(Key)) throw validation(`Listener attribute key '${Key ?? ""}' is not recognized`);
      if (Key === "routing.http.response.server.enabled" && Value !== "true" && Value !== "false") {
        throw validation(`Listener attribute value '${Value ?? ""}' must be 'true' or 'false' for '${Key}'`);
      }
    }
    listener.attributes ??= new Map();
    for (const { Key, Value } of changes) listener.attributes.set(Key ?? "", Value ?? "");
    return { Attributes: attributeList(attributesOf(listener)) };
  },
};
