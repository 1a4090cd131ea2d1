// Copies the node and credential icons next to the compiled files: n8n loads `file:*.svg` icons
// relative to the built .js file, and tsc copies only TypeScript output.
const { src, dest } = require('gulp');

function copyIcons() {
	return src(['nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:icons'] = copyIcons;
