/**
 * A Jest reporter that writes the run as JUnit XML to $XML_OUTPUT_FILE, where Bazel collects each
 * test's report (bazel-testlogs/<package>/<target>/test.xml; tools/tally.py counts them).
 *   jest --reporters=default --reporters=<repo>/tools/junit-reporter.cjs
 * One <testsuite> a test file, one <testcase> a test; a file that failed to run is one failed case.
 * Without $XML_OUTPUT_FILE (outside Bazel) it writes nothing.
 */
const fs = require('node:fs');
const path = require('node:path');

const escape = (text) =>
  String(text)
    .replace(/[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu, '?') // not allowed in XML
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

const seconds = (ms) => ((ms ?? 0) / 1000).toFixed(3);

function testcase(file, test) {
  const name = [...test.ancestorTitles, test.title].join(' > ');
  const open = `    <testcase classname="${escape(file)}" name="${escape(name)}" time="${seconds(test.duration)}"`;
  if (test.status === 'failed') {
    const message = escape(test.failureMessages.join('\n'));
    return `${open}>\n      <failure message="failed">${message}</failure>\n    </testcase>`;
  }
  if (test.status !== 'passed') {
    return `${open}>\n      <skipped message="${escape(test.status)}"/>\n    </testcase>`;
  }
  return `${open}/>`;
}

function testsuite(rootDir, result) {
  const file = path.relative(rootDir, result.testFilePath);
  const cases = result.testResults.map((test) => testcase(file, test));
  let failed = result.testResults.filter((test) => test.status === 'failed').length;
  const skipped = result.testResults.filter(
    (test) => !['passed', 'failed'].includes(test.status),
  ).length;
  if (result.testExecError) {
    const message = escape(
      result.testExecError.message ?? result.failureMessage ?? 'failed to run',
    );
    cases.push(
      `    <testcase classname="${escape(file)}" name="(test file)" time="0">\n      <error message="failed to run">${message}</error>\n    </testcase>`,
    );
    failed += 1;
  }
  const time = seconds(result.perfStats.end - result.perfStats.start);
  return [
    `  <testsuite name="${escape(file)}" tests="${cases.length}" failures="${failed}" skipped="${skipped}" time="${time}">`,
    ...cases,
    '  </testsuite>',
  ].join('\n');
}

class JUnitReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const output = process.env.XML_OUTPUT_FILE;
    if (!output) return;
    const suites = results.testResults.map((result) => testsuite(this.rootDir, result));
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="jest">',
      ...suites,
      '</testsuites>',
      '',
    ];
    fs.writeFileSync(output, xml.join('\n'));
  }
}

module.exports = JUnitReporter;
