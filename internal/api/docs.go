package api

import (
	"io/fs"
	"path"

	"github.com/gofiber/fiber/v2"
	swaggerFiles "github.com/swaggo/files/v2"

	apispec "youthhub/api-spec"
	"youthhub/internal/platform/fault"
)

// The API documentation page: Swagger UI's files come embedded in the
// binary (no CDN); the page and its start-up script are our own files, as
// the CSP allows no inline script.
const docsPage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>youthhub API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<main id="swagger-ui" aria-label="youthhub API reference"></main>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>
`

const docsInit = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({ url: '/api/openapi.yaml', dom_id: '#swagger-ui', deepLinking: true });
});
`

func (s *Server) openAPIYAML(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "application/yaml; charset=utf-8")
	return c.Send(apispec.YAML)
}

func (s *Server) docsIndex(c *fiber.Ctx) error {
	c.Type("html", "utf-8")
	return c.SendString(docsPage)
}

// docsAsset serves init.js and the Swagger UI files the page names.
func (s *Server) docsAsset(c *fiber.Ctx) error {
	name := path.Clean(c.Params("file"))
	switch name {
	case "init.js":
		c.Type("js", "utf-8")
		return c.SendString(docsInit)
	case "swagger-ui.css", "swagger-ui-bundle.js":
		b, err := fs.ReadFile(swaggerFiles.FS, name)
		if err != nil {
			return err
		}
		c.Type(extOf(name), "utf-8")
		c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
		return c.Send(b)
	}
	return fault.New(fault.NotFound, "Not found")
}
