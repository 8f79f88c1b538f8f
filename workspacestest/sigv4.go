package workspacestest

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"

	"github.com/leanaws/workspaces/internal/sigv4verify"
)

// authenticate verifies the request's SigV4 signature and returns the
// caller's account, or the error response to send.
func (s *Service) authenticate(r *http.Request, body []byte, ex *exchange) (string, *response) {
	res, err := s.verifier().Verify(r, body)
	if err != nil {
		var verr *sigv4verify.Error
		if !errors.As(err, &verr) {
			resp := apiError(http.StatusForbidden, "InvalidSignatureException", err.Error())
			return "", &resp
		}
		resp := apiError(verr.Status, verr.Code, verr.Message)
		return "", &resp
	}

	account, errResp := s.callerAccount(res)
	if errResp != nil {
		return "", errResp
	}
	s.authenticated(ex, res.AccessKeyID, account)
	return account, nil
}

// verifier returns a verifier for the fake's current credentials and
// clock: with no credentials known it checks only the form and the
// signing time.
func (s *Service) verifier() *sigv4verify.Verifier {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := &sigv4verify.Verifier{Service: SigningName, Now: s.now}
	if len(s.creds) > 0 {
		v.Lookup = s.lookupSecret
	}
	return v
}

// lookupSecret returns the secret access key of a known access key ID.
func (s *Service) lookupSecret(accessKeyID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.creds[accessKeyID]
	return c.SecretAccessKey, ok
}

// callerAccount returns the account of a verified request, checking its
// session token when the credential has one.
func (s *Service) callerAccount(res sigv4verify.Result) (string, *response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.creds) == 0 {
		return DefaultAccountID, nil
	}

	c, ok := s.creds[res.AccessKeyID]
	if !ok {
		// The verifier rejects unknown keys; a key removed since cannot
		// happen, as credentials are never removed.
		resp := apiError(http.StatusForbidden, "UnrecognizedClientException",
			"The security token included in the request is invalid.")
		return "", &resp
	}
	if c.SessionToken != "" &&
		subtle.ConstantTimeCompare([]byte(c.SessionToken), []byte(res.SessionToken)) != 1 {
		resp := apiError(http.StatusForbidden, "UnrecognizedClientException",
			"The security token included in the request is invalid.")
		return "", &resp
	}
	return c.AccountID, nil
}

// accessKeyIDFrom returns the access key ID an Authorization header names
// in its Credential component, or "" when it names none. It is for the
// record only; nothing is verified.
func accessKeyIDFrom(authorization string) string {
	_, rest, ok := strings.Cut(authorization, "Credential=")
	if !ok {
		return ""
	}
	id, _, ok := strings.Cut(rest, "/")
	if !ok || strings.ContainsAny(id, " ,=") {
		return ""
	}
	return id
}
