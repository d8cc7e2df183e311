import { type DynamicModule, Module } from '@nestjs/common';
import { CompatibilityController } from './compatibility.controller';
import { PublishController } from './publish.controller';
import { ServerCommands } from './server-commands';
import { StatusController } from './status.controller';

/** The server and version aggregate at the edge: publish, status changes, compatibility reports. */
@Module({})
export class ServersModule {
  static forRoot(imports: DynamicModule['imports'] = []): DynamicModule {
    return {
      module: ServersModule,
      imports,
      controllers: [PublishController, StatusController, CompatibilityController],
      providers: [ServerCommands],
      exports: [ServerCommands],
    };
  }
}
