// Package types holds the shapes and typed errors of the WorkSpaces
// image-permission API, named and shaped as in the official client's types
// package so that code written for one compiles against the other.
package types

// ImagePermission names one AWS account a WorkSpaces image is shared with.
type ImagePermission struct {
	// SharedAccountId is the 12-digit identifier of the account.
	SharedAccountId *string
}
