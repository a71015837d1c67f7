package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"youthhub/internal/platform/fault"
)

// validate is shared by every request; a validator caches struct metadata and
// is safe for concurrent use.
var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	_ = v.RegisterValidation("date", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		if s == "" {
			return true
		}
		_, err := parseDate(s)
		return err == nil
	})
	_ = v.RegisterValidation("hhmm", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		return len(s) == 5 && s[2] == ':' && s[0] >= '0' && s[0] <= '2' && s[1] >= '0' && s[1] <= '9' &&
			s[3] >= '0' && s[3] <= '5' && s[4] >= '0' && s[4] <= '9' && s < "24:00"
	})
	return v
}

// Decode reads a JSON body into dst strictly (unknown fields, trailing data
// and wrong types are refused with the field named) and validates it.
func Decode(c *fiber.Ctx, dst any) error {
	if err := DecodeOnly(c, dst); err != nil {
		return err
	}
	return Validate(dst)
}

// DecodeOnly is Decode without the validation, for a handler that shows
// the validator's field errors together with its own (FieldErrors).
func DecodeOnly(c *fiber.Ctx, dst any) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		body = []byte("{}")
	}
	ct := string(c.Request().Header.ContentType())
	if len(c.Body()) > 0 && !strings.HasPrefix(ct, "application/json") {
		return fault.New(fault.BadRequest, "Send the request body as application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) {
			return badTime(dst, body)
		}
		return decodeError(err)
	}
	if dec.More() {
		return fault.New(fault.BadRequest, "The request body must be a single JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return fault.New(fault.BadRequest, "The request body must be a single JSON object")
	}
	return nil
}

// FieldErrors is Validate's answer as a list of field errors, or the error
// itself when it is not one of invalid fields.
func FieldErrors(dst any) ([]fault.FieldError, error) {
	err := Validate(dst)
	if fe, ok := fault.As(err); ok && fe.Kind == fault.Invalid && len(fe.Fields) > 0 {
		return fe.Fields, nil
	}
	return nil, err
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fault.New(fault.BadRequest, "The request body is not valid JSON (at character %d)", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return fault.New(fault.BadRequest, "The request body must be a JSON object")
		}
		return fault.Field(field, fmt.Sprintf("%s must be %s", field, jsonKind(typ.Type)))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return fault.Field(name, fmt.Sprintf("%s is not a field we accept", name))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fault.New(fault.BadRequest, "The request body is not valid JSON (it ends too early)")
	}
	return fault.New(fault.BadRequest, "The request body is not valid JSON")
}

// badTime names the field of dst (a pointer to a struct) whose value in body
// is not an RFC 3339 time: encoding/json passes time.Time's own error on
// without the field.
func badTime(dst any, body []byte) error {
	const want = "must be a date and time like 2025-03-04T18:05:00Z (with Z or an offset like +01:00)"
	var raw map[string]json.RawMessage
	t := reflect.TypeOf(dst)
	if json.Unmarshal(body, &raw) == nil && t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct {
		times := reflect.TypeOf(time.Time{})
		for i := 0; i < t.Elem().NumField(); i++ {
			f := t.Elem().Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if name == "" || name == "-" || ft != times {
				continue
			}
			if v, ok := raw[name]; ok && !bytes.Equal(v, []byte("null")) {
				var tt time.Time
				if json.Unmarshal(v, &tt) != nil {
					return fault.Field(name, name+" "+want)
				}
			}
		}
	}
	return fault.New(fault.Invalid, "Every time %s", want)
}

func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "text"
	case reflect.Int, reflect.Int32, reflect.Int64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	}
	return "an object"
}

// Validate checks struct tags and turns failures into field errors with
// messages a person understands.
func Validate(dst any) error {
	err := validate.Struct(dst)
	if err == nil {
		return nil
	}
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return err
	}
	fields := make([]fault.FieldError, 0, len(ves))
	for _, fe := range ves {
		fields = append(fields, fault.FieldError{Field: fieldPath(fe), Message: message(fe)})
	}
	return fault.Fields(fields...)
}

func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if i := strings.Index(ns, "."); i >= 0 {
		return ns[i+1:]
	}
	return fe.Field()
}

func message(fe validator.FieldError) string {
	label := strings.ReplaceAll(fe.Field(), "_", " ")
	switch fe.Tag() {
	case "required", "required_with", "required_without":
		return fmt.Sprintf("Enter %s", label)
	case "email":
		return "Enter an email address in the correct format, like name@example.com"
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("%s must be %s characters or more", capital(label), fe.Param())
		}
		if fe.Kind() == reflect.Slice {
			return fmt.Sprintf("Choose at least %s for %s", fe.Param(), label)
		}
		return fmt.Sprintf("%s must be %s or more", capital(label), fe.Param())
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("%s must be %s characters or fewer", capital(label), fe.Param())
		}
		if fe.Kind() == reflect.Slice {
			return fmt.Sprintf("Choose no more than %s for %s", fe.Param(), label)
		}
		return fmt.Sprintf("%s must be %s or less", capital(label), fe.Param())
	case "gte":
		return fmt.Sprintf("%s must be %s or more", capital(label), fe.Param())
	case "lte":
		return fmt.Sprintf("%s must be %s or less", capital(label), fe.Param())
	case "gtefield":
		return fmt.Sprintf("%s must be the same as or more than %s", capital(label), strings.ReplaceAll(fe.Param(), "_", " "))
	case "oneof":
		return fmt.Sprintf("%s must be one of: %s", capital(label), strings.ReplaceAll(fe.Param(), " ", ", "))
	case "date":
		return fmt.Sprintf("%s must be a real date, like 2011-03-27", capital(label))
	case "hhmm":
		return fmt.Sprintf("%s must be a time like 18:00", capital(label))
	case "uuid", "uuid4":
		return fmt.Sprintf("%s is not a valid id", capital(label))
	case "latitude", "longitude":
		return fmt.Sprintf("%s is not a valid %s", capital(label), fe.Tag())
	case "url", "http_url":
		return fmt.Sprintf("%s must be a web address starting with https://", capital(label))
	case "dive":
		return fmt.Sprintf("%s has a value we do not accept", capital(label))
	case "unique":
		return fmt.Sprintf("%s lists the same thing twice", capital(label))
	}
	return fmt.Sprintf("%s is not valid", capital(label))
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
