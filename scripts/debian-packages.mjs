// Debian packages the test suites need, installed through apt when missing (idempotent: a
// dpkg query per package when everything is there). Shared by `npm test` (before the unit
// tests) and the test-host installer.
//
//   python3-torch  real PyTorch 1.13 for /usr/bin/python3: a unit test regenerates the PyTorch
//                  truth of the examples and checks the committed fixture is current
//   python3-torchvision  torchvision 0.14's model sources (read at test time as real-world
//                  Python models) and the models themselves (the truth they are compared with)
//   chromium       the browser Playwright drives (diagram, integration, UI suites)
//   ripgrep        replaces @vscode/ripgrep's GitHub download in the test VS Code
//   libkrb5-dev    lets code-server's kerberos dependency build from source
import { spawnSync } from 'node:child_process';

export const TEST_PACKAGES = ['python3-torch', 'python3-torchvision', 'chromium', 'ripgrep', 'libkrb5-dev'];

/** Why each package is wanted: printed before anything is installed. */
export const WHY = {
  'python3-torch': 'real PyTorch 1.13: the truth the parameter counts and shapes are checked against',
  'python3-torchvision': "torchvision 0.14's model sources and models, as real-world test input and its truth",
  chromium: 'the headless browser the diagram, integration and UI suites drive',
  ripgrep: "the test VS Code's search (instead of @vscode/ripgrep's GitHub download)",
  'libkrb5-dev': "headers for building the test VS Code's kerberos module",
  'build-essential': 'a C/C++ toolchain for the test VS Code\'s native modules (node-gyp)',
  python3: 'node-gyp and the PyTorch truth scripts',
};

export function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

export function have(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/**
 * Installs whichever of `packages` are missing (plus a compiler toolchain when there is none:
 * native modules of the test VS Code build with node-gyp). Throws with the failing step named.
 */
export function aptEnsure(packages, log = (m) => console.log(`[apt] ${m}`)) {
  const wanted = [...packages];
  if (!have('make') || !have('g++')) wanted.push('build-essential');
  if (!have('python3')) wanted.push('python3');
  const missing = wanted.filter((p) => !dpkgInstalled(p));
  if (missing.length === 0) {
    log(`${packages.join(', ')} already installed`);
    return;
  }
  // Announce first: what will be installed system-wide, why, and roughly how much (a fresh Debian
  // 12 with build-essential took 376 packages, a 359 MB download, 1.4 GB installed, 86 s).
  log(`installing Debian packages system-wide with apt-get (needs root or sudo): ${missing.join(', ')}`);
  for (const p of missing) log(`  ${p}: ${WHY[p] ?? 'needed by the test suites'}`);
  log('  on a fresh system this pulls in a few hundred dependencies: about 360 MB to download, 1.4 GB on disk');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  if (sudo.length && !have('sudo')) throw new Error(`apt: need root or sudo to install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (...args) => {
    const cmd = [...sudo, 'apt-get', '-o', 'DPkg::Lock::Timeout=900', ...args];
    log(cmd.join(' '));
    const t0 = Date.now();
    const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env });
    if (r.error) throw new Error(`apt: could not start ${cmd[0]}: ${r.error.message}`);
    if (r.status !== 0) throw new Error(`apt: \`${cmd.join(' ')}\` exited with ${r.status ?? r.signal}`);
    log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };
  apt('update');
  apt('install', '-y', ...missing);
}

// Run directly (`node scripts/debian-packages.mjs`): install the test packages.
if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    aptEnsure(TEST_PACKAGES);
  } catch (e) {
    console.error(`[apt] FAILED: ${e.message}`);
    process.exit(1);
  }
}
