import { describe, expect, it } from 'vitest'
import { BodyPool, sizeClass } from './body-pool.ts'

describe('BodyPool', () => {
  it('hands out new memory of its own (never a slice of the shared pool), at least 4 KiB', () => {
    const pool = new BodyPool(4)
    const a = pool.allocate(100)
    expect(a.length).toBe(4096)
    expect(a.byteOffset).toBe(0)
    expect(a.buffer.byteLength).toBe(4096)
    expect(pool.allocate(10_000).length).toBe(10_240)
  })

  it('rounds new buffers up to a size class, so that a slightly larger body fits recycled memory', () => {
    expect(sizeClass(1)).toBe(4096)
    expect(sizeClass(990_959)).toBe(1_048_576)
    expect(sizeClass(1_048_577)).toBe(1_310_720)
    for (const size of [4097, 65_535, 1_000_000, 7_777_777]) {
      expect(sizeClass(size)).toBeGreaterThanOrEqual(size)
      expect(sizeClass(size)).toBeLessThanOrEqual(size * 1.25)
    }
    const pool = new BodyPool(4)
    const first = pool.allocate(990_959)
    pool.recycle(first)
    expect(pool.allocate(1_030_554)).toBe(first)
  })

  it('recycles: the smallest free buffer that fits, then new memory when none fits', () => {
    const pool = new BodyPool(4)
    const small = pool.allocate(5000)
    const large = pool.allocate(50_000)
    pool.recycle(large)
    pool.recycle(small)
    expect(pool.allocate(4000)).toBe(small)
    expect(pool.allocate(4000)).toBe(large)
    const fresh = pool.allocate(4000)
    expect(fresh).not.toBe(small)
    expect(fresh).not.toBe(large)
  })

  it('keeps at most `limit` buffers, the largest ones', () => {
    const pool = new BodyPool(2)
    const sizes = [5000, 9000, 7000]
    const buffers = sizes.map((size) => pool.allocate(size))
    for (const buffer of buffers) pool.recycle(buffer)
    expect(pool.allocate(1)).toBe(buffers[2])
    expect(pool.allocate(1)).toBe(buffers[1])
    expect(buffers).not.toContain(pool.allocate(1))
  })
})
