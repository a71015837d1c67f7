// Package frontend holds the built single-page app so that the youthhub binary can serve it
// without any files beside it.
package frontend

import "embed"

// Dist is the Vite build output (frontend/dist), rooted at "dist". Run `npm run build` in this
// folder before `go build`; an empty or missing dist/ fails compilation, on purpose, so that a
// binary never ships without its web pages.
//
//go:embed all:dist
var Dist embed.FS
