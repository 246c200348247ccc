import { apiOpenApiDocument } from "../../src/api/openapi.js";
import { openApiChecker } from "../feed/openapi-check.js";

/** Checks a body against what src/api/openapi.yaml says `method path` answers with `status`. */
export const expectApi = openApiChecker(apiOpenApiDocument(), "api");
