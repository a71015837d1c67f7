// Package apispec embeds the OpenAPI contract so the server can publish it
// at /api/openapi.yaml and render it at /api/docs.
package apispec

import _ "embed"

// YAML is api-spec/openapi.yaml.
//
//go:embed openapi.yaml
var YAML []byte
