// Mocha's settings. `npx mocha` runs every unit test; `npx mocha out/test/unit/x.test.js` runs only
// the files named (mocha would otherwise add the config's spec to them and run everything).
const named = process.argv.slice(2).some((a, i, all) => /\.test\.js$/.test(a) && !/^--?(require|r|file)$/.test(all[i - 1] ?? ''));
module.exports = {
  ...(named ? {} : { spec: ['out/test/unit/**/*.test.js'] }),
  timeout: 60000,
  reporter: 'dot',
};
