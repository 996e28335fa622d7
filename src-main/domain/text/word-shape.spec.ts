import { describe, expect, it } from 'vitest';
import { CASE_CLASSES, caseClassOf } from './word-shape';

describe('caseClassOf', () => {
  it.each([
    ['the', 'lower'],
    ["n't", 'lower'],
    ['straße', 'lower'],
    ['NASA', 'upper'],
    ['I', 'upper'],
    ['U.S.', 'upper'],
    ['John', 'title'],
    ["'Tis", 'title'],
    ['Éclair', 'title'],
    ['iPhone', 'mixed'],
    ['McDonald', 'mixed'],
    ['1990', 'numeric'],
    ['3.14', 'numeric'],
    ['10,000', 'numeric'],
    ['-5', 'numeric'],
    ['9:30', 'numeric'],
    ['5pm', 'has-digit'],
    ['A4', 'has-digit'],
    ['.', 'other'],
    ['😀', 'other'],
    ['你好', 'other'],
    ['مرحبا', 'other'],
    ['Привет', 'title'],
  ])('%j is %s', (word, name) => {
    expect(CASE_CLASSES[caseClassOf(word)]).toBe(name);
  });

  it('gives an index into CASE_CLASSES', () => {
    expect(caseClassOf('the')).toBe(CASE_CLASSES.indexOf('lower'));
    expect(new Set(CASE_CLASSES).size).toBe(CASE_CLASSES.length);
  });
});
