import { isDeepStrictEqual } from 'node:util';
import type { NewEvent } from './event-store';
import type { Decider, EventShape } from './handle';

/** Thrown when a decider specification does not hold; any test runner reports it as a failure. */
export class DeciderSpecificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeciderSpecificationError';
  }
}

type EventLike<Event extends NewEvent> = EventShape<Event>;
type ErrorClass<E extends Error> = abstract new (...args: never[]) => E;
/** Return `false` to fail; returning nothing lets it assert with the runner's own `expect`. */
type ErrorCheck<E> = (error: E) => boolean | void;

/**
 * given / when / then for pure deciders, in the style of event-driven-io/emmett:
 *
 *   const spec = DeciderSpecification.for(tokenDecider);
 *   spec.given([issued]).when(revoke).then([revoked]);
 *   spec.given([]).when(revoke).thenThrows(TokenNotFound);
 *
 * Synchronous and runner-agnostic (it throws DeciderSpecificationError), so do not `await`
 * the result of `when()`: an object with a `then` method is treated as a promise.
 */
export class DeciderSpecification<State, Command, Event extends NewEvent> {
  private constructor(private readonly decider: Decider<State, Command, Event>) {}

  static for<State, Command, Event extends NewEvent>(decider: Decider<State, Command, Event>): DeciderSpecification<State, Command, Event> {
    return new DeciderSpecification(decider);
  }

  given(events: EventLike<Event> | readonly EventLike<Event>[]): { when: (command: Command) => DeciderOutcome<Event> } {
    const history = toArray(events);
    return {
      when: (command) =>
        new DeciderOutcome<Event>(() => {
          const state = history.reduce(this.decider.evolve, this.decider.initialState());
          return this.decider.decide(command, state);
        }),
    };
  }
}

export class DeciderOutcome<Event extends NewEvent> {
  constructor(private readonly run: () => Event[]) {}

  /** `decide` returned exactly these events, in this order (deep, strict equality). */
  then(expected: EventLike<Event> | readonly EventLike<Event>[]): void {
    const actual = this.run();
    const wanted = toArray(expected);
    if (!isDeepStrictEqual(actual, wanted)) {
      throw new DeciderSpecificationError(`decide returned\n${show(actual)}\nbut the specification expects\n${show(wanted)}`);
    }
  }

  /** `decide` returned no events. */
  thenNothingHappened(): void {
    this.then([]);
  }

  /** `decide` threw, optionally an instance of `errorClass`, optionally passing `check`. Returns the error. */
  thenThrows(): unknown;
  // The check-only overload comes first so an arrow function's parameter is typed from it.
  thenThrows(check: ErrorCheck<unknown>): unknown;
  thenThrows<E extends Error>(errorClass: ErrorClass<E>, check?: ErrorCheck<E>): E;
  thenThrows(first?: ErrorClass<Error> | ErrorCheck<unknown>, second?: ErrorCheck<unknown>): unknown {
    const errorClass = first !== undefined && isErrorClass(first) ? first : undefined;
    const check = errorClass ? second : (first as ErrorCheck<unknown> | undefined);
    let returned: Event[];
    try {
      returned = this.run();
    } catch (error) {
      if (errorClass && !(error instanceof errorClass)) {
        throw new DeciderSpecificationError(`decide threw ${describe(error)} but the specification expects a ${errorClass.name}`);
      }
      if (check && check(error) === false) {
        throw new DeciderSpecificationError(`decide threw ${describe(error)}, which the specification's check rejected`);
      }
      return error;
    }
    throw new DeciderSpecificationError(`decide returned\n${show(returned)}\nbut the specification expects it to throw`);
  }
}

/** Classes have a prototype that is (or descends from) Error.prototype; arrow-function checks have none. */
function isErrorClass(value: ErrorClass<Error> | ErrorCheck<unknown>): value is ErrorClass<Error> {
  const prototype: unknown = (value as { prototype?: unknown }).prototype;
  return prototype === Error.prototype || prototype instanceof Error;
}

function toArray<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

function show(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : show(error);
}
