// Copies icons and codex files (*.node.json) next to the compiled files: n8n loads `file:*.svg` icons
// and codex files relative to the built .js file, and tsc copies only TypeScript output.
const { src, dest } = require('gulp');

function copyAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = copyAssets;
