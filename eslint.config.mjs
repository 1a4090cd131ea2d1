// n8n's default community-node lint (eslint-plugin-n8n-nodes-base and
// @n8n/eslint-plugin-community-nodes), as @n8n/node-cli ships it; n8n Cloud eligibility expects it as is.
import { config } from '@n8n/node-cli/eslint';

export default config;
