import { configureN8nLogging } from './n8n-logs';

configureN8nLogging();
