package types

import (
	"fmt"

	"github.com/aws/smithy-go"
)

var (
	_ smithy.APIError = (*ResourceNotFoundException)(nil)
	_ smithy.APIError = (*AccessDeniedException)(nil)
	_ smithy.APIError = (*InvalidParameterValuesException)(nil)
)

// ResourceNotFoundException reports that the image named in the request does
// not exist in the caller's account and region.
type ResourceNotFoundException struct {
	Message           *string
	ErrorCodeOverride *string

	// ResourceId is the identifier of the resource that was not found.
	ResourceId *string
}

// Error returns the code and the message, as "Code: Message".
func (e *ResourceNotFoundException) Error() string {
	return fmt.Sprintf("%s: %s", e.ErrorCode(), e.ErrorMessage())
}

// ErrorMessage returns the message the service sent, or "".
func (e *ResourceNotFoundException) ErrorMessage() string { return deref(e.Message) }

// ErrorCode returns the code the service sent, ResourceNotFoundException
// unless the response spelled it differently.
func (e *ResourceNotFoundException) ErrorCode() string {
	if e == nil {
		return "ResourceNotFoundException"
	}
	return code(e.ErrorCodeOverride, "ResourceNotFoundException")
}

// ErrorFault reports the error as the caller's fault.
func (e *ResourceNotFoundException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// AccessDeniedException reports that the caller may not read the image's
// permissions, typically because another account owns the image.
type AccessDeniedException struct {
	Message           *string
	ErrorCodeOverride *string
}

// Error returns the code and the message, as "Code: Message".
func (e *AccessDeniedException) Error() string {
	return fmt.Sprintf("%s: %s", e.ErrorCode(), e.ErrorMessage())
}

// ErrorMessage returns the message the service sent, or "".
func (e *AccessDeniedException) ErrorMessage() string { return deref(e.Message) }

// ErrorCode returns the code the service sent, AccessDeniedException unless
// the response spelled it differently.
func (e *AccessDeniedException) ErrorCode() string {
	if e == nil {
		return "AccessDeniedException"
	}
	return code(e.ErrorCodeOverride, "AccessDeniedException")
}

// ErrorFault reports the error as the caller's fault.
func (e *AccessDeniedException) ErrorFault() smithy.ErrorFault { return smithy.FaultClient }

// InvalidParameterValuesException reports that the service rejected a value
// of the request: an image ID of the wrong form, a page size out of range or
// a NextToken it did not issue.
type InvalidParameterValuesException struct {
	Message           *string
	ErrorCodeOverride *string
}

// Error returns the code and the message, as "Code: Message".
func (e *InvalidParameterValuesException) Error() string {
	return fmt.Sprintf("%s: %s", e.ErrorCode(), e.ErrorMessage())
}

// ErrorMessage returns the message the service sent, or "".
func (e *InvalidParameterValuesException) ErrorMessage() string { return deref(e.Message) }

// ErrorCode returns the code the service sent, InvalidParameterValuesException
// unless the response spelled it differently.
func (e *InvalidParameterValuesException) ErrorCode() string {
	if e == nil {
		return "InvalidParameterValuesException"
	}
	return code(e.ErrorCodeOverride, "InvalidParameterValuesException")
}

// ErrorFault reports the error as the caller's fault.
func (e *InvalidParameterValuesException) ErrorFault() smithy.ErrorFault {
	return smithy.FaultClient
}

// code returns *override, or name when the response used the modeled
// spelling. ErrorCode checks for a nil receiver first because a typed nil
// can reach it through errors.As on a hand-built chain.
func code(override *string, name string) string {
	if override == nil {
		return name
	}
	return *override
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
