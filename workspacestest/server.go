package workspacestest

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/aws/smithy-go/logging"
)

// DefaultAccountID is the caller's account when no credentials are seeded,
// and the owner of an image or credential seeded without an account.
const DefaultAccountID = "123456789012"

const (
	// TargetPrefix is the X-Amz-Target prefix of every WorkSpaces
	// operation; the operation name follows it.
	TargetPrefix = "WorkspacesService."

	// ContentType is the only request Content-Type the fake accepts, and
	// the Content-Type of its JSON responses.
	ContentType = "application/x-amz-json-1.1"

	// SigningName is the service name a request's credential scope must
	// carry.
	SigningName = "workspaces"

	// maxRequestBody bounds the request body the fake reads.
	maxRequestBody = 1 << 20
)

// Error codes the fake sends, spelled as the service spells them.
const (
	codeUnknownOperation = "UnknownOperationException"
	codeSerialization    = "SerializationException"
	codeInvalidParameter = "InvalidParameterValuesException"
	codeResourceNotFound = "ResourceNotFoundException"
	codeAccessDenied     = "AccessDeniedException"
	codeThrottling       = "ThrottlingException"
)

// BUG(workspacestest): The ImageId check anchors the model's pattern,
// wsi-[0-9a-z]{9,63}$, at the start as well, so an ID with characters
// before "wsi-" is InvalidParameterValuesException. The service matches
// the pattern unanchored at the start and would look such an ID up
// (ResourceNotFoundException). Matching it exactly needs the service's
// answer confirmed against a real account.

var (
	imageIDPattern   = regexp.MustCompile(`^wsi-[0-9a-z]{9,63}$`)
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
)

// An Image is a WorkSpaces image as the fake stores it: its owner and the
// accounts it is shared with. Its JSON form is the one [LoadSeed] reads.
type Image struct {
	ID               string   `json:"imageId"`
	OwnerAccountID   string   `json:"ownerAccountId"`
	SharedAccountIDs []string `json:"sharedAccountIds"`
}

// A Credential is an access key the fake knows, and the account it
// belongs to. Its JSON form is the one [LoadSeed] reads.
//
// SessionToken, when set, must be sent as X-Amz-Security-Token with every
// request signed by the key; when empty, any session token is accepted.
type Credential struct {
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SessionToken    string `json:"sessionToken,omitempty"`
	AccountID       string `json:"accountId"`
}

// A Seed is a set of credentials and images to load into a [Service] with
// [Service.Seed]. An empty OwnerAccountID or AccountID means
// [DefaultAccountID].
type Seed struct {
	Credentials []Credential `json:"credentials"`
	Images      []Image      `json:"images"`
}

// LoadSeed reads a [Seed] from the JSON in r. Unknown fields, trailing
// data and invalid IDs are errors that name the offending entry.
func LoadSeed(r io.Reader) (Seed, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()

	var seed Seed
	if err := dec.Decode(&seed); err != nil {
		return Seed{}, fmt.Errorf("workspacestest: decode seed: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return Seed{}, errors.New("workspacestest: decode seed: data after the JSON object")
	}
	if _, err := seed.normalize(); err != nil {
		return Seed{}, err
	}
	return seed, nil
}

// normalize checks every entry of sd and returns a copy with default
// accounts filled in and shared accounts deduplicated.
func (sd Seed) normalize() (Seed, error) {
	var out Seed
	keys := make(map[string]bool)
	for i, c := range sd.Credentials {
		c, err := normalizeCredential(c)
		if err != nil {
			return Seed{}, fmt.Errorf("workspacestest: credential %d: %w", i, err)
		}
		if keys[c.AccessKeyID] {
			return Seed{}, fmt.Errorf("workspacestest: credential %d: duplicate access key ID %q",
				i, c.AccessKeyID)
		}
		keys[c.AccessKeyID] = true
		out.Credentials = append(out.Credentials, c)
	}

	ids := make(map[string]bool)
	for i, img := range sd.Images {
		img, err := normalizeImage(img)
		if err != nil {
			return Seed{}, fmt.Errorf("workspacestest: image %d: %w", i, err)
		}
		if ids[img.ID] {
			return Seed{}, fmt.Errorf("workspacestest: image %d: duplicate image ID %q", i, img.ID)
		}
		ids[img.ID] = true
		out.Images = append(out.Images, img)
	}
	return out, nil
}

// normalizeCredential checks c and fills in its default account.
func normalizeCredential(c Credential) (Credential, error) {
	if c.AccessKeyID == "" || strings.ContainsAny(c.AccessKeyID, "/, \t\r\n=") {
		return Credential{}, fmt.Errorf("invalid access key ID %q", c.AccessKeyID)
	}
	if c.SecretAccessKey == "" {
		return Credential{}, fmt.Errorf("access key %q: empty secret access key",
			c.AccessKeyID)
	}
	if c.AccountID == "" {
		c.AccountID = DefaultAccountID
	}
	if !accountIDPattern.MatchString(c.AccountID) {
		return Credential{}, fmt.Errorf("access key %q: account ID %q is not 12 digits",
			c.AccessKeyID, c.AccountID)
	}
	return c, nil
}

// normalizeImage checks img, fills in its default owner and returns its
// shared accounts sorted and deduplicated.
func normalizeImage(img Image) (Image, error) {
	if !imageIDPattern.MatchString(img.ID) {
		return Image{}, fmt.Errorf("image ID %q does not match %s", img.ID, imageIDPattern)
	}
	if img.OwnerAccountID == "" {
		img.OwnerAccountID = DefaultAccountID
	}
	if !accountIDPattern.MatchString(img.OwnerAccountID) {
		return Image{}, fmt.Errorf("image %s: owner account ID %q is not 12 digits",
			img.ID, img.OwnerAccountID)
	}
	shared, err := checkShare(img.OwnerAccountID, img.SharedAccountIDs)
	if err != nil {
		return Image{}, fmt.Errorf("image %s: %w", img.ID, err)
	}
	img.SharedAccountIDs = shared
	return img, nil
}

// checkShare checks that accounts are account IDs other than owner and
// returns them sorted, without duplicates.
func checkShare(owner string, accounts []string) ([]string, error) {
	out := make([]string, 0, len(accounts))
	for _, a := range accounts {
		if !accountIDPattern.MatchString(a) {
			return nil, fmt.Errorf("shared account ID %q is not 12 digits", a)
		}
		if a == owner {
			return nil, fmt.Errorf("cannot share with owner account %s", a)
		}
		out = append(out, a)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// A Service is a fake of the WorkSpaces image-permission API. Use it as an
// [http.Handler] behind an httptest.Server or any listener, or call it
// without a socket through [Service.Client].
//
// Its methods may be called concurrently with each other and with requests
// in flight. A Service must be created with [NewService].
type Service struct {
	mu          sync.Mutex
	now         func() time.Time
	creds       map[string]Credential
	images      map[string]*image
	incarnation uint64 // last incarnation handed out
	tokens      tokenSealer
	faults      []*faultRule
	requests    []*Request
	logger      logging.Logger
}

// image is the stored state of an [Image].
type image struct {
	owner       string
	shared      map[string]struct{}
	incarnation uint64 // new each time the image is put
}

// NewService returns an empty Service: it knows no credentials, so it
// accepts any well-formed SigV4 request as [DefaultAccountID], and no
// images.
func NewService() *Service {
	return &Service{
		now:    time.Now,
		creds:  make(map[string]Credential),
		images: make(map[string]*image),
		tokens: newTokenSealer(),
	}
}

// Seed adds the credentials and images of sd, replacing any with the same
// access key ID or image ID. It checks all of sd before changing anything.
func (s *Service) Seed(sd Seed) error {
	sd, err := sd.normalize()
	if err != nil {
		return err
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range sd.Credentials {
		s.creds[c.AccessKeyID] = c
	}
	for _, img := range sd.Images {
		s.putLocked(img)
	}
	return nil
}

// AddCredential makes the fake know c, replacing any credential with the
// same access key ID. Once a credential is known, every request must be
// signed with a known one.
func (s *Service) AddCredential(c Credential) error {
	c, err := normalizeCredential(c)
	if err != nil {
		return fmt.Errorf("workspacestest: add credential: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.creds[c.AccessKeyID] = c
	return nil
}

// PutImage stores img, replacing any image with the same ID. A replaced
// image is a new incarnation: pagination tokens issued for the old one are
// rejected. Use [Service.Share] and [Service.Unshare] to change sharing
// without ending walks in progress.
func (s *Service) PutImage(img Image) error {
	img, err := normalizeImage(img)
	if err != nil {
		return fmt.Errorf("workspacestest: put image: %w", err)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.putLocked(img)
	return nil
}

// putLocked stores a normalized image as a new incarnation.
func (s *Service) putLocked(img Image) {
	s.incarnation++
	stored := &image{
		owner:       img.OwnerAccountID,
		shared:      make(map[string]struct{}, len(img.SharedAccountIDs)),
		incarnation: s.incarnation,
	}
	for _, a := range img.SharedAccountIDs {
		stored.shared[a] = struct{}{}
	}
	s.images[img.ID] = stored
}

// DeleteImage removes the image with the given ID and reports whether it
// existed.
func (s *Service) DeleteImage(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.images[id]
	delete(s.images, id)
	return ok
}

// Image returns a copy of the stored image with the given ID, its shared
// accounts sorted.
func (s *Service) Image(id string) (Image, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	img, ok := s.images[id]
	if !ok {
		return Image{}, false
	}
	return Image{ID: id, OwnerAccountID: img.owner, SharedAccountIDs: img.sortedShares()}, true
}

// Share shares the image with the given accounts. Accounts it is already
// shared with are left alone; walks in progress see the new accounts that
// sort after their position.
func (s *Service) Share(imageID string, accountIDs ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	img, ok := s.images[imageID]
	if !ok {
		return fmt.Errorf("workspacestest: share image %s: no such image", imageID)
	}
	accounts, err := checkShare(img.owner, accountIDs)
	if err != nil {
		return fmt.Errorf("workspacestest: share image %s: %w", imageID, err)
	}
	for _, a := range accounts {
		img.shared[a] = struct{}{}
	}
	return nil
}

// Unshare stops sharing the image with the given accounts. Accounts it is
// not shared with are ignored; walks in progress go on without a gap or a
// duplicate for the accounts that stay shared.
func (s *Service) Unshare(imageID string, accountIDs ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	img, ok := s.images[imageID]
	if !ok {
		return fmt.Errorf("workspacestest: unshare image %s: no such image", imageID)
	}
	for _, a := range accountIDs {
		if !accountIDPattern.MatchString(a) {
			return fmt.Errorf("workspacestest: unshare image %s: account ID %q is not 12 digits",
				imageID, a)
		}
	}
	for _, a := range accountIDs {
		delete(img.shared, a)
	}
	return nil
}

// sortedShares returns the accounts img is shared with, in the order pages
// list them.
func (img *image) sortedShares() []string {
	out := make([]string, 0, len(img.shared))
	for a := range img.shared {
		out = append(out, a)
	}
	slices.Sort(out)
	return out
}

// SetClock makes now the fake's clock: it dates responses, records
// requests and bounds the signing-time window. A nil now restores
// [time.Now]. Latency faults always wait in real time.
func (s *Service) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// clock returns the current time by the fake's clock.
func (s *Service) clock() time.Time {
	s.mu.Lock()
	now := s.now
	s.mu.Unlock()
	return now()
}

// SetLogger makes the fake log one line per request to l, at the
// [logging.Debug] classification, once the response is written: method,
// operation, status, error code, request ID, duration and access key ID,
// never a secret, signature or session token. A nil l, the default, makes
// it silent.
func (s *Service) SetLogger(l logging.Logger) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logger = l
}

// ServeHTTP answers one request as the service would; see the package
// documentation for the checks it makes and their order.
func (s *Service) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, readErr := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
	ex := s.receive(r, body)
	defer s.logExchange(ex, start)

	if ex.fault != nil && ex.fault.replacesResponse() {
		s.serveFault(w, r, ex)
		return
	}
	if ex.fault != nil && ex.fault.Kind != FaultStallBody && ex.fault.Delay > 0 {
		if sleep(r.Context(), ex.fault.Delay) != nil {
			return
		}
	}

	resp := s.respond(r, body, readErr, ex)
	s.writeResponse(w, r, ex, resp)
}

// A response is what the fake sends for one request.
type response struct {
	status int
	code   string // error code; empty on success
	body   []byte
}

// apiError returns an error response in the awsJson1.1 form.
func apiError(status int, code, message string) response {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{code, message})
	return response{status: status, code: code, body: body}
}

// respond runs the protocol checks, authentication and the operation, in
// the order the service does.
func (s *Service) respond(r *http.Request, body []byte, readErr error, ex *exchange) response {
	if r.Method != http.MethodPost || (r.URL.Path != "/" && r.URL.Path != "") {
		return apiError(http.StatusBadRequest, codeUnknownOperation, "")
	}
	if readErr != nil {
		return apiError(http.StatusBadRequest, codeSerialization, "could not read request body")
	}
	if len(body) > maxRequestBody {
		return apiError(http.StatusBadRequest, codeSerialization, "request body too large")
	}
	if !contentTypeOK(r.Header.Get("Content-Type")) {
		return apiError(http.StatusBadRequest, codeSerialization,
			"Content-Type must be "+ContentType)
	}
	if ex.operation != opDescribeWorkspaceImagePermissions {
		return apiError(http.StatusBadRequest, codeUnknownOperation, "")
	}

	account, errResp := s.authenticate(r, body, ex)
	if errResp != nil {
		return *errResp
	}
	if ex.decodeErr != nil {
		return apiError(http.StatusBadRequest, codeSerialization, ex.decodeErr.Error())
	}
	return s.describeWorkspaceImagePermissions(account, ex.input)
}

// contentTypeOK reports whether v names the awsJson1.1 media type;
// parameters such as charset are allowed.
func contentTypeOK(v string) bool {
	mt, _, err := mime.ParseMediaType(v)
	return err == nil && strings.EqualFold(mt, ContentType)
}

// writeResponse writes resp, stalled or truncated as the exchange's fault
// says.
func (s *Service) writeResponse(w http.ResponseWriter, r *http.Request, ex *exchange,
	resp response) {
	s.complete(ex, resp.status, resp.code)

	h := w.Header()
	h.Set("Date", s.clock().UTC().Format(http.TimeFormat))
	h.Set("X-Amzn-Requestid", ex.requestID)
	h.Set("Content-Type", ContentType)
	if resp.code != "" {
		h.Set("X-Amzn-Errortype", resp.code)
	}
	h.Set("Content-Length", strconv.Itoa(len(resp.body)))
	w.WriteHeader(resp.status)

	kind := FaultKind(0)
	if ex.fault != nil {
		kind = ex.fault.Kind
	}
	half := len(resp.body) / 2
	switch kind {
	case FaultStallBody:
		if _, err := w.Write(resp.body[:half]); err != nil {
			return
		}
		_ = http.NewResponseController(w).Flush()
		if sleep(r.Context(), ex.fault.Delay) != nil {
			return
		}
		_, _ = w.Write(resp.body[half:])
	case FaultTruncate:
		_, _ = w.Write(resp.body[:half])
		_ = http.NewResponseController(w).Flush()
	default:
		_, _ = w.Write(resp.body)
	}
}

// newRequestID returns a random (version 4) UUID.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// operationName returns the operation an X-Amz-Target value names, or ""
// when it does not start with [TargetPrefix].
func operationName(target string) string {
	op, ok := strings.CutPrefix(target, TargetPrefix)
	if !ok {
		return ""
	}
	return op
}

// trimmedEmpty reports whether body holds only JSON white space.
func trimmedEmpty(body []byte) bool {
	return len(bytes.TrimLeft(body, " \t\r\n")) == 0
}
