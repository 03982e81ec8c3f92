import { ValueTransformer } from 'typeorm';

/**
 * Postgres `bigint` arrives as a string (it can exceed JavaScript's safe integers). Our money
 * totals are bounded far below 2^53 by the DTO limits, so a number is exact.
 */
export const bigintAsNumber: ValueTransformer = {
  to: (value?: number | null) => value,
  from: (value?: string | number | null) => (value === null || value === undefined ? value : Number(value)),
};
