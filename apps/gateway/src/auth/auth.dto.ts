import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

const normaliseEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class RegisterDto {
  @ApiProperty({ example: 'ada@fablab.example' })
  @Transform(normaliseEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 200, example: 'correct horse battery staple' })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1, { message: 'displayName must not be empty' })
  @MaxLength(100)
  displayName: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@fablab.example' })
  @Transform(normaliseEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  password: string;
}

export class AccountDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
  @ApiProperty() displayName: string;
  @ApiProperty() platformAdmin: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class TokenDto {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>`' }) accessToken: string;
  @ApiProperty({ example: 'Bearer' }) tokenType: string;
  @ApiProperty({ description: 'Seconds until the token expires' }) expiresIn: number;
}
