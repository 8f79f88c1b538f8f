// Workspaces-fake serves a fake of the WorkSpaces image-permission API
// (DescribeWorkspaceImagePermissions) on a loopback address, so that any
// AWS SDK or the AWS CLI can be pointed at it with a custom endpoint URL.
// It is the workspacestest package behind an HTTP server.
//
// Usage:
//
//	workspaces-fake [-addr host:port] [-seed file]
//
// The flags are:
//
//	-addr host:port
//		The address to listen on (default 127.0.0.1:4566). Port 0 picks
//		a free port. Keep it on loopback: the fake is for tests.
//	-seed file
//		A JSON file of credentials and images to start with:
//
//		{
//		  "credentials": [
//		    {"accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "s3cr3t",
//		     "accountId": "111122223333"}
//		  ],
//		  "images": [
//		    {"imageId": "wsi-abc123def", "ownerAccountId": "111122223333",
//		     "sharedAccountIds": ["444455556666", "777788889999"]}
//		  ]
//		}
//
//		Unknown fields and invalid IDs are errors. With no credentials,
//		any well-formed SigV4 request is accepted as account
//		123456789012.
//
// The first line on standard output is the URL the fake serves, such as
// http://127.0.0.1:4566, printed once it is listening. Each request then
// logs one line on standard error: method, operation, status, error code,
// request ID, duration and access key ID, never a secret, signature or
// session token.
//
// SIGINT or SIGTERM stops the fake: it waits up to 5 seconds for requests
// in flight and exits 0.
//
// For example, with the seed above:
//
//	workspaces-fake -seed seed.json &
//	AWS_ACCESS_KEY_ID=AKIDEXAMPLE AWS_SECRET_ACCESS_KEY=s3cr3t \
//	aws workspaces describe-workspace-image-permissions \
//		--image-id wsi-abc123def --region us-east-1 \
//		--endpoint-url http://127.0.0.1:4566
package main
