import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  caseloadScore,
  communityScore,
  competitiveJobsScore,
  diversityScore,
  employerContactScore,
  followAlongScore,
  rapidJobSearchScore,
} from './anchors.ts';

test('caseload: 20 or fewer per specialist scores 5, 81 or more scores 1', () => {
  const cases: Array<[number, number]> = [[0, 5], [20, 5], [20.5, 4], [21, 4], [40, 4], [41, 3], [60, 3], [61, 2], [80, 2], [81, 1], [200, 1]];
  for (const [value, score] of cases) assert.equal(caseloadScore(value), score, `${value} per specialist`);
});

test('rapid job search: 30 days or fewer scores 5, 271 or more scores 1', () => {
  const cases: Array<[number, number]> = [[0, 5], [30, 5], [30.5, 4], [31, 4], [60, 4], [61, 3], [150, 3], [151, 2], [270, 2], [271, 1]];
  for (const [value, score] of cases) assert.equal(rapidJobSearchScore(value), score, `${value} days`);
});

test('employer contacts: 6 a week scores 5; 3 a week, which the scale leaves out, scores 2', () => {
  const cases: Array<[number, number]> = [[0, 1], [1.99, 1], [2, 2], [3, 2], [3.99, 2], [4, 3], [4.99, 3], [5, 4], [5.99, 4], [6, 5], [9, 5]];
  for (const [value, score] of cases) assert.equal(employerContactScore(value), score, `${value} a week`);
});

test('diversity of job types and employers: 85% scores 5, below 50% scores 1', () => {
  const cases: Array<[number, number]> = [[0, 1], [0.49, 1], [0.5, 2], [0.59, 2], [0.6, 3], [0.69, 3], [0.7, 4], [0.84, 4], [0.85, 5], [1, 5]];
  for (const [value, score] of cases) assert.equal(diversityScore(value), score, `${value}`);
});

test('competitive jobs: 95% scores 5, below 65% scores 1; 2 of 3 (67%) scores 2', () => {
  const cases: Array<[number, number]> = [[0.64, 1], [0.65, 2], [2 / 3, 2], [0.74, 2], [0.75, 3], [0.84, 3], [0.85, 4], [0.94, 4], [19 / 20, 5], [1, 5]];
  for (const [value, score] of cases) assert.equal(competitiveJobsScore(value), score, `${value}`);
});

test('follow-along: 90% scores 5, below 25% scores 1', () => {
  const cases: Array<[number, number]> = [[0, 1], [0.24, 1], [0.25, 2], [0.49, 2], [0.5, 3], [0.74, 3], [0.75, 4], [0.89, 4], [0.9, 5], [1, 5]];
  for (const [value, score] of cases) assert.equal(followAlongScore(value), score, `${value}`);
});

test('community-based services: 65% scores 5, below 30% scores 1', () => {
  const cases: Array<[number, number]> = [[0, 1], [0.29, 1], [0.3, 2], [0.39, 2], [0.4, 3], [0.49, 3], [0.5, 4], [0.64, 4], [0.65, 5], [1, 5]];
  for (const [value, score] of cases) assert.equal(communityScore(value), score, `${value}`);
});
